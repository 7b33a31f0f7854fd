//! The call page's forms: override a verdict, undo (withdraw) an override, mark the call
//! reviewed. Supervisors and admins only; each form carries `csrf`, and an override or undo
//! also carries how many changes the page saw on its criterion, so a stale page is refused
//! (409, naming who changed it) instead of overwriting. Each change writes an audit row in the
//! same transaction. The overrides are the ones `callgrade review` stores, so every report and
//! export applies them the same way.

use super::call::render;
use super::labels;
use crate::score::Verdict;
use crate::store::{GuardError, NewOverride, Override, OverrideError, ReviewError, Store};
use crate::web::{AppState, CsrfForm, CurrentUser, Role, WebError};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

#[derive(Debug, Deserialize)]
pub struct OverrideForm {
    pub rubric: String,
    pub criterion: String,
    /// `pass`, `fail` or `na`.
    pub verdict: String,
    pub reason: String,
    /// Changes to the criterion's overrides the page saw.
    pub seen: u32,
}

#[derive(Debug, Deserialize)]
pub struct WithdrawForm {
    pub seen: u32,
}

fn describe(o: &Override) -> String {
    format!(
        "call {} criterion {} (rubric {}): {} — {}",
        o.call_id,
        o.criterion_id,
        o.rubric_id,
        o.verdict().label(),
        o.reason
    )
}

/// The call page again with `notice`, under `status` (a refused change).
fn refused(
    store: &Store,
    id: i64,
    user: &CurrentUser,
    status: StatusCode,
    notice: String,
) -> Result<Response, WebError> {
    Ok((status, render(store, id, user, Some(notice))?).into_response())
}

/// What a refused override or undo answers.
fn answer(store: &Store, id: i64, user: &CurrentUser, e: GuardError) -> Result<Response, WebError> {
    let l = labels(user);
    match e {
        GuardError::Stale { by, at, .. } => refused(
            store,
            id,
            user,
            StatusCode::CONFLICT,
            format!("{}: {by} ({at}).", l.stale),
        ),
        GuardError::NoSuchOverride { .. } | GuardError::Override(OverrideError::NoCall { .. }) => {
            Err(WebError::NotFound)
        }
        GuardError::Override(OverrideError::Store(e)) => Err(e.into()),
        GuardError::Override(e) => refused(
            store,
            id,
            user,
            StatusCode::BAD_REQUEST,
            format!("{}: {e}", l.error),
        ),
    }
}

/// POST /calls/{id}/overrides.
pub async fn add(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<OverrideForm>,
) -> Result<Response, WebError> {
    user.require(Role::Supervisor)?;
    let Some(verdict) = Verdict::from_code(&form.verdict) else {
        return Err(WebError::BadRequest(format!(
            "verdict `{}`: choose passed, failed or not_applicable",
            form.verdict
        )));
    };
    // Not applicable scores as a pass does: full points, as scoring gives it.
    let (passed, applicable) = (verdict != Verdict::Failed, verdict.applicable());
    state
        .store(move |s| {
            if !s.call_exists(id)? {
                return Err(WebError::NotFound);
            }
            let new = NewOverride {
                call_id: id,
                rubric_id: form.rubric.clone(),
                criterion_id: form.criterion.clone(),
                passed,
                applicable,
                points: None,
                reason: form.reason.clone(),
                by: user.name.clone(),
            };
            let audit = |s: &Store, o: &Override| {
                s.audit(
                    &user.name,
                    "override",
                    &format!("#{}: {}", o.id, describe(o)),
                )
            };
            match s.add_override_unless_changed(&new, form.seen, audit) {
                Ok(_) => {
                    Ok(Redirect::to(&format!("/calls/{id}#c-{}", form.criterion)).into_response())
                }
                Err(e) => answer(s, id, &user, e),
            }
        })
        .await
}

/// POST /calls/{id}/overrides/{override_id}/withdraw: undo; the override before it (or the
/// automatic verdict) applies again, and the withdrawn one stays in the history.
pub async fn withdraw(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((id, override_id)): Path<(i64, i64)>,
    CsrfForm(form): CsrfForm<WithdrawForm>,
) -> Result<Response, WebError> {
    user.require(Role::Supervisor)?;
    state
        .store(move |s| {
            let audit = |s: &Store, o: &Override| {
                s.audit(
                    &user.name,
                    "override-withdrawn",
                    &format!("#{}: {}", o.id, describe(o)),
                )
            };
            match s.withdraw_override_unless_changed(id, override_id, form.seen, &user.name, audit)
            {
                Ok(o) => {
                    Ok(Redirect::to(&format!("/calls/{id}#c-{}", o.criterion_id)).into_response())
                }
                Err(e) => answer(s, id, &user, e),
            }
        })
        .await
}

/// POST /calls/{id}/reviewed: marks the call reviewed under the rubric that scores it now.
pub async fn reviewed(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    CsrfForm(_): CsrfForm<crate::web::NoFields>,
) -> Result<Response, WebError> {
    user.require(Role::Supervisor)?;
    state
        .store(move |s| {
            if !s.call_exists(id)? {
                return Err(WebError::NotFound);
            }
            let Some(run) = s.call_current_run(id)? else {
                return refused(
                    s,
                    id,
                    &user,
                    StatusCode::BAD_REQUEST,
                    labels(&user).not_scored.to_string(),
                );
            };
            // The mark and its audit row are stored together or not at all.
            let marked = s.write_tx(|s| match s.mark_reviewed(id, &run.rubric_id, &user.name) {
                Ok(r) => {
                    s.audit(
                        &user.name,
                        "reviewed",
                        &format!("call {id} (rubric {}), mark #{}", run.rubric_id, r.id),
                    )?;
                    Ok(Ok(()))
                }
                Err(ReviewError::Store(e)) => Err(WebError::from(e)),
                Err(e) => Ok(Err(e.to_string())),
            })?;
            match marked {
                Ok(()) => Ok(Redirect::to(&format!("/calls/{id}")).into_response()),
                Err(why) => refused(s, id, &user, StatusCode::BAD_REQUEST, why),
            }
        })
        .await
}
