//! Read queries across campaigns, for the history reports (trends, training needs, one call).
//!
//! These read only; they never write, so reports can run while a batch is being stored.

use super::read::{CALL_VIEW_SELECT, CURRENT_SCORE, CallView, call_row, criterion_row};
use super::runs::{ScoreRunView, score_run_view};
use super::{Store, StoreError};
use crate::score::{CriterionResult, Total};
use rusqlite::{OptionalExtension, params};
use std::collections::HashMap;

/// A score run (rubric version) that scored at least one call of a campaign.
#[derive(Debug, Clone, PartialEq)]
pub struct CampaignRun {
    pub campaign: String,
    pub run: ScoreRunView,
    /// Calls of the campaign with a current score under this run.
    pub calls: usize,
}

/// A scored call under one score run, without its transcript (what history reports need).
#[derive(Debug, Clone)]
pub struct ScoredCall {
    pub call_id: i64,
    pub campaign: String,
    pub file: String,
    pub staff: String,
    pub unit: String,
    pub called_at: String,
    pub total: Total,
    pub criteria: Vec<CriterionResult>,
}

/// Where a stored call is: enough to pick one when a file name is in several campaigns.
#[derive(Debug, Clone, PartialEq)]
pub struct CallLocation {
    pub id: i64,
    pub campaign: String,
    pub file: String,
}

// A score only counts while it belongs to the call's current transcript and the call is scored:
// a recording that changed and then failed keeps its old verdicts in the table, but they no
// longer describe the call.

impl Store {
    /// Every (campaign, score run) pair with current scores, campaigns by name, newest run
    /// (highest id) first within a campaign.
    pub fn campaign_runs(&self) -> Result<Vec<CampaignRun>, StoreError> {
        let sql = format!(
            "SELECT k.name, r.id, r.rubric_id, r.rubric_sha256, r.rubric_title, r.rubric_toml,
                    COUNT(*)
             FROM call_scores s
             JOIN calls c ON c.id = s.call_id
             JOIN campaigns k ON k.id = c.campaign_id
             JOIN score_runs r ON r.id = s.score_run_id
             WHERE {CURRENT_SCORE}
             GROUP BY k.name, r.id
             ORDER BY k.name, r.id DESC"
        );
        let mut stmt = self.conn.prepare(&sql).map_err(|e| self.sql_err(e))?;
        stmt.query_map([], |r| {
            Ok(CampaignRun {
                campaign: r.get(0)?,
                run: ScoreRunView {
                    id: r.get(1)?,
                    rubric_id: r.get(2)?,
                    sha256: r.get(3)?,
                    title: r.get(4)?,
                    toml: r.get(5)?,
                },
                calls: r.get::<_, i64>(6)? as usize,
            })
        })
        .and_then(|rows| rows.collect())
        .map_err(|e| self.sql_err(e))
    }

    /// The scored calls of `campaign` under `score_run`, each with its verdicts (supervisors'
    /// overrides applied), ordered by called_at then file.
    pub fn scored_calls(
        &self,
        campaign: &str,
        score_run: i64,
    ) -> Result<Vec<ScoredCall>, StoreError> {
        let sql = format!(
            "SELECT c.id, c.file, COALESCE(st.name, ''), COALESCE(u.name, ''),
                    COALESCE(c.called_at, ''), s.id, s.score, s.max, s.grade
             FROM call_scores s
             JOIN calls c ON c.id = s.call_id
             JOIN campaigns k ON k.id = c.campaign_id
             LEFT JOIN staff st ON st.id = c.staff_id
             LEFT JOIN units u ON u.id = c.unit_id
             WHERE k.name = ?1 AND s.score_run_id = ?2 AND {CURRENT_SCORE}
             ORDER BY c.called_at, c.file"
        );
        let mut stmt = self.conn.prepare(&sql).map_err(|e| self.sql_err(e))?;
        let rows = stmt
            .query_map(params![campaign, score_run], |r| {
                Ok((
                    r.get::<_, i64>(5)?,
                    ScoredCall {
                        call_id: r.get(0)?,
                        campaign: campaign.to_string(),
                        file: r.get(1)?,
                        staff: r.get(2)?,
                        unit: r.get(3)?,
                        called_at: r.get(4)?,
                        total: Total {
                            score: r.get(6)?,
                            max: r.get(7)?,
                            grade: r.get(8)?,
                        },
                        criteria: Vec::new(),
                    },
                ))
            })
            .and_then(|rows| rows.collect::<Result<Vec<_>, _>>())
            .map_err(|e| self.sql_err(e))?;
        let mut criteria = self.criteria_of_run(campaign, score_run)?;
        let overrides = self.effective_overrides(score_run, None)?;
        rows.into_iter()
            .map(|(score_id, mut call)| {
                call.criteria = criteria.remove(&score_id).unwrap_or_default();
                overrides.apply(self, call.call_id, &mut call.total, &mut call.criteria)?;
                Ok(call)
            })
            .collect()
    }

    /// All verdicts of a campaign under a score run in one query, keyed by call_scores.id.
    fn criteria_of_run(
        &self,
        campaign: &str,
        score_run: i64,
    ) -> Result<HashMap<i64, Vec<CriterionResult>>, StoreError> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT cr.criterion_id, cr.title, cr.category, cr.passed, cr.applicable,
                        cr.points, cr.max, cr.reason, cr.evidence, cr.call_score_id,
                        cr.confidence, cr.needs_review
                 FROM criterion_results cr
                 JOIN call_scores s ON s.id = cr.call_score_id
                 JOIN calls c ON c.id = s.call_id
                 JOIN campaigns k ON k.id = c.campaign_id
                 WHERE k.name = ?1 AND s.score_run_id = ?2
                 ORDER BY cr.call_score_id, cr.idx",
            )
            .map_err(|e| self.sql_err(e))?;
        let rows = stmt
            .query_map(params![campaign, score_run], |r| {
                Ok((
                    r.get::<_, i64>(9)?,
                    criterion_row(r)?,
                    r.get::<_, String>(8)?,
                ))
            })
            .and_then(|rows| rows.collect::<Result<Vec<_>, _>>())
            .map_err(|e| self.sql_err(e))?;
        let mut out: HashMap<i64, Vec<CriterionResult>> = HashMap::new();
        for (score_id, mut c, evidence) in rows {
            c.evidence = self.parse_json(&evidence, "criterion evidence")?;
            out.entry(score_id).or_default().push(c);
        }
        Ok(out)
    }

    /// Calls whose id is `file_or_id` (a number) or whose manifest file name is `file_or_id`
    /// (also matched by its last path component), optionally only in `campaign`; campaigns by
    /// name, newest last.
    pub fn find_calls(
        &self,
        file_or_id: &str,
        campaign: Option<&str>,
    ) -> Result<Vec<CallLocation>, StoreError> {
        let base = file_or_id
            .rsplit(['/', '\\'])
            .next()
            .unwrap_or(file_or_id)
            .to_string();
        let id: i64 = file_or_id.trim().parse().unwrap_or(-1);
        let mut stmt = self
            .conn
            .prepare(
                "SELECT c.id, k.name, c.file FROM calls c JOIN campaigns k ON k.id = c.campaign_id
                 WHERE (c.id = ?1 OR c.file = ?2 OR c.file = ?3
                        OR substr(c.file, -length(?3) - 1) = '/' || ?3 OR c.path = ?2)
                   AND (?4 IS NULL OR k.name = ?4)
                 ORDER BY k.name, c.file",
            )
            .map_err(|e| self.sql_err(e))?;
        stmt.query_map(params![id, file_or_id, base, campaign], |r| {
            Ok(CallLocation {
                id: r.get(0)?,
                campaign: r.get(1)?,
                file: r.get(2)?,
            })
        })
        .and_then(|rows| rows.collect())
        .map_err(|e| self.sql_err(e))
    }

    /// The rubric version a call's page, review marks and blind reviews use: the newest of
    /// [`Store::call_score_runs`]; `None` when the call has no current score.
    pub fn call_current_run(&self, call_id: i64) -> Result<Option<ScoreRunView>, StoreError> {
        Ok(self.call_score_runs(call_id)?.into_iter().next())
    }

    /// Score runs that scored call `call_id` (current scores only), newest (highest id) first.
    pub fn call_score_runs(&self, call_id: i64) -> Result<Vec<ScoreRunView>, StoreError> {
        let sql = format!(
            "SELECT r.id, r.rubric_id, r.rubric_sha256, r.rubric_title, r.rubric_toml
             FROM call_scores s
             JOIN calls c ON c.id = s.call_id
             JOIN score_runs r ON r.id = s.score_run_id
             WHERE c.id = ?1 AND {CURRENT_SCORE}
             ORDER BY r.id DESC"
        );
        let mut stmt = self.conn.prepare(&sql).map_err(|e| self.sql_err(e))?;
        stmt.query_map([call_id], score_run_view)
            .and_then(|rows| rows.collect())
            .map_err(|e| self.sql_err(e))
    }

    /// One call with its audio facts, transcript and (when `score_run` is given and the call
    /// has a current score under it) its score and verdicts. `None` when no call has this id.
    pub fn call_detail(
        &self,
        call_id: i64,
        score_run: Option<i64>,
    ) -> Result<Option<CallView>, StoreError> {
        let row = self
            .conn
            .query_row(
                &format!("{CALL_VIEW_SELECT} WHERE c.id = ?1"),
                [call_id],
                call_row,
            )
            .optional()
            .map_err(|e| self.sql_err(e))?;
        let Some(row) = row else {
            return Ok(None);
        };
        let mut call = self.call_view(row)?;
        let Some(run) = score_run else {
            return Ok(Some(call));
        };
        self.attach_score(
            &mut call,
            run,
            &self.effective_overrides(run, Some(call_id))?,
        )?;
        Ok(Some(call))
    }
}
