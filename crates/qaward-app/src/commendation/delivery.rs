//! What an award gives (A21.1): the plaque and the certificate handed over, the prize paid
//! with its voucher — the amount the policy sets for the level and the kind of recipient,
//! none for the Nomination Award. Recorded by the Office, once each.

use chrono::NaiveDate;
use qaward_domain::application::State;
use qaward_domain::award;
use qaward_domain::ids::ApplicationId;
use qaward_domain::message::Term;
use qaward_domain::msg;
use qaward_domain::permission::Perm;
use qaward_domain::rule::{self, Refusal};
use serde_json::{Value, json};

use crate::audit::{AuditAction, Object};
use crate::workflow::{self, CycleCx, CycleEdit};
use crate::{App, AppError, Principal, limits};

/// The level of the award `id` won, or the A21.1 refusal that it won none.
async fn level_of(app: &App, id: ApplicationId) -> Result<qaward_domain::policy::Level, AppError> {
    match app.store.application(id).await?.state {
        State::Awarded(level) => Ok(level),
        other => Err(AppError::Refused(Refusal::new(
            rule::A21_1,
            msg!("award-not-made", state = Term::of(other)),
        ))),
    }
}

fn not_after_today(app: &App, field: &'static str, on: NaiveDate) -> Result<(), AppError> {
    if on > app.today() {
        return Err(AppError::invalid(
            field,
            msg!("date-in-the-future", date = on),
        ));
    }
    Ok(())
}

struct Handover<'a> {
    id: ApplicationId,
    on: NaiveDate,
    note: &'a str,
}

impl CycleEdit for Handover<'_> {
    type Output = ();

    fn audit(&self) -> AuditAction {
        AuditAction::AwardHandover
    }

    fn perm(&self) -> Perm {
        Perm::RecordAwardDelivery
    }

    fn application(&self) -> Option<ApplicationId> {
        Some(self.id)
    }

    async fn write(&self, cx: &mut CycleCx<'_>) -> Result<((), Object, Value), AppError> {
        level_of(cx.app, self.id).await?;
        cx.tx
            .record_handover(self.id, self.on, self.note, &cx.by.user.username)
            .await?;
        Ok((
            (),
            Object::Application(self.id),
            json!({ "after": { "handed_on": self.on, "note": self.note } }),
        ))
    }
}

/// Records that the plaque and the certificate of award `id` were handed over (A21.1).
pub async fn record_handover(
    app: &App,
    by: &Principal,
    id: ApplicationId,
    on: NaiveDate,
    note: &str,
) -> Result<(), AppError> {
    let note = limits::bounded("note", note, limits::NAME)?;
    not_after_today(app, "handed_on", on)?;
    let cycle = app.store.application(id).await?.cycle_id;
    workflow::cycle_edit(app, by, cycle, &Handover { id, on, note }).await
}

struct Payment<'a> {
    id: ApplicationId,
    amount_yuan: u64,
    on: NaiveDate,
    voucher: &'a str,
}

impl CycleEdit for Payment<'_> {
    type Output = ();

    fn audit(&self) -> AuditAction {
        AuditAction::PrizePayment
    }

    fn perm(&self) -> Perm {
        Perm::RecordAwardDelivery
    }

    fn application(&self) -> Option<ApplicationId> {
        Some(self.id)
    }

    async fn write(&self, cx: &mut CycleCx<'_>) -> Result<((), Object, Value), AppError> {
        let level = level_of(cx.app, self.id).await?;
        let row = cx.app.store.application(self.id).await?;
        let individual = cx
            .app
            .store
            .subject(row.subject_id)
            .await?
            .subject
            .is_person();
        let policy = cx.app.policy_of_cycle(row.cycle_id).await?;
        award::check_payment(&policy, level, individual, self.amount_yuan)?;
        cx.tx
            .record_payment(
                self.id,
                self.amount_yuan,
                self.on,
                self.voucher,
                &cx.by.user.username,
            )
            .await?;
        Ok((
            (),
            Object::Application(self.id),
            json!({ "after": { "amount_yuan": self.amount_yuan, "paid_on": self.on, "voucher": self.voucher } }),
        ))
    }
}

/// Records the payment of award `id`'s prize (A21.1): the policy's amount, its date and
/// voucher.
pub async fn record_payment(
    app: &App,
    by: &Principal,
    id: ApplicationId,
    amount_yuan: u64,
    on: NaiveDate,
    voucher: &str,
) -> Result<(), AppError> {
    let voucher = limits::bounded("voucher", voucher, limits::NAME)?;
    if voucher.is_empty() {
        return Err(AppError::invalid("voucher", msg!("voucher-required")));
    }
    not_after_today(app, "paid_on", on)?;
    let cycle = app.store.application(id).await?.cycle_id;
    let e = Payment {
        id,
        amount_yuan,
        on,
        voucher,
    };
    workflow::cycle_edit(app, by, cycle, &e).await
}
