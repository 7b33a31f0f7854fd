//! Calibration and blind review (W3): GET /campaigns/{c}/calibration shows, per criterion,
//! how far supervisors agreed with the machine (`report::calibration`); GET and POST
//! /calls/{id}/blind let a supervisor score a call before seeing the automatic verdicts.

mod blind;
mod labels;
mod view;

use super::layout::page;
use super::{AppState, CsrfForm, CurrentUser, Role, WebError};
use crate::report::ReportError;
use crate::store::{OverrideError, ReviewError};
use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use labels::{EN, Labels, ZH};
use maud::html;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/campaigns/{campaign}/calibration", get(calibration))
        .route("/calls/{id}/blind", get(blind_form).post(blind_post))
}

fn labels(user: &CurrentUser) -> &'static Labels {
    user.lang.pick(&ZH, &EN)
}

/// Everyone who may read reports (trainers and up) may read the calibration.
async fn calibration(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(campaign): Path<String>,
) -> Result<Response, WebError> {
    user.require(Role::Trainer)?;
    // Supervisors also get the calls they can still review blind.
    let reviewer = (user.role >= Role::Supervisor).then(|| user.name.clone());
    let (c, unseen) = state
        .store(move |s| {
            let c = crate::report::calibration::load(s, &campaign).map_err(|e| match e {
                ReportError::NoCampaign { .. } => WebError::NotFound,
                e => WebError::Internal(e.to_string()),
            })?;
            let mut unseen = Vec::new();
            if let (Some(name), Some(rubric)) = (&reviewer, &c.rubric_id) {
                for (id, file) in &c.scored {
                    if !s.has_seen(*id, rubric, name)? {
                        unseen.push((*id, file.clone()));
                    }
                }
            }
            Ok((c, unseen))
        })
        .await?;
    let l = labels(&user);
    let title = format!("{} — {}", l.calibration, c.campaign);
    let body = html! {
        (view::calibration(&c, l, labels::report_words(&user)))
        @if user.role >= Role::Supervisor { (view::blind_queue(&unseen, l)) }
    };
    Ok(page(&user, &title, body).into_response())
}

async fn blind_form(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Response, WebError> {
    user.require(Role::Supervisor)?;
    let name = user.name.clone();
    let b = state
        .store(move |s| blind::load(s, id, &name)?.ok_or(WebError::NotFound))
        .await?;
    let l = labels(&user);
    Ok(page(&user, l.blind_title, blind::page(&b, &user, l, None)).into_response())
}

/// Stores the blind verdicts and marks the call reviewed blind, then opens the call page,
/// where the automatic verdicts are now shown. A refused review re-shows the form with why.
async fn blind_post(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    CsrfForm(fields): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    user.require(Role::Supervisor)?;
    let verdicts = blind::verdicts(&fields)?;
    let rubric = fields
        .iter()
        .find(|(k, _)| k == "rubric")
        .map(|(_, v)| v.clone())
        .ok_or_else(|| WebError::BadRequest("the form has no rubric".into()))?;
    let name = user.name.clone();
    let l = labels(&user);
    let refused = state
        .store(move |s| {
            // The review and its audit row are stored together or not at all.
            let added =
                s.write_tx(
                    |s| match s.add_blind_review(id, &rubric, &name, &verdicts) {
                        Ok(review) => {
                            s.audit(
                                &name,
                                "blind review",
                                &format!("call {id}, rubric {rubric}, review {}", review.id),
                            )?;
                            Ok(Ok(()))
                        }
                        Err(ReviewError::Store(e)) => Err(WebError::from(e)),
                        Err(e) => Ok(Err(e)),
                    },
                )?;
            let refusal = match added {
                Ok(()) => return Ok(None),
                Err(ReviewError::Call(OverrideError::NoCall { .. })) => {
                    return Err(WebError::NotFound);
                }
                Err(ReviewError::AlreadySeen { .. }) => (StatusCode::CONFLICT, l.already.into()),
                Err(ReviewError::Incomplete { missing }) => (
                    StatusCode::BAD_REQUEST,
                    format!("{}{missing}", l.incomplete),
                ),
                Err(ReviewError::Call(e)) => (StatusCode::CONFLICT, e.to_string()),
                Err(ReviewError::Store(e)) => return Err(e.into()),
            };
            let b = blind::load(s, id, &name)?.ok_or(WebError::NotFound)?;
            Ok(Some((refusal, b)))
        })
        .await?;
    match refused {
        None => Ok(Redirect::to(&format!("/calls/{id}")).into_response()),
        Some(((status, message), b)) => Ok((
            status,
            page(
                &user,
                l.blind_title,
                blind::page(&b, &user, l, Some(&message)),
            ),
        )
            .into_response()),
    }
}
