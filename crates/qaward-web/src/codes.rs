//! The domain's vocabularies in the OpenAPI document: one named schema per vocabulary
//! (`ApplicationState`, `Role`, …), a string enum of its codes, taken from the domain's
//! table so that the document lists exactly the codes the API sends and accepts. API
//! structs keep the domain type and point at these with `#[schema(value_type = …)]`.

use std::borrow::Cow;

use qaward_domain::text::Vocabulary;
use utoipa::openapi::schema::{ObjectBuilder, SchemaType, Type};
use utoipa::openapi::{RefOr, Schema};
use utoipa::{PartialSchema, ToSchema};

fn enum_schema<T: Vocabulary>(description: &str) -> RefOr<Schema> {
    ObjectBuilder::new()
        .schema_type(SchemaType::Type(Type::String))
        .enum_values(Some(T::codes()))
        .description(Some(description))
        .into()
}

macro_rules! code_schema {
    ($($marker:ident => $ty:ty, $description:literal;)*) => {
        $(
            #[doc = $description]
            pub struct $marker;

            impl PartialSchema for $marker {
                fn schema() -> RefOr<Schema> {
                    enum_schema::<$ty>($description)
                }
            }

            impl ToSchema for $marker {
                fn name() -> Cow<'static, str> {
                    Cow::Borrowed(<$ty as Vocabulary>::NAME)
                }
            }
        )*
    };
}

code_schema! {
    ApplicationState => qaward_domain::application::State, "Where an application stands.";
    ApplicationAction => qaward_domain::application::ActionKind, "A step taken on an application.";
    ReviewStep => qaward_domain::application::ReviewStep, "The channel's review or the Office's formal review.";
    OpinionStage => qaward_domain::application::OpinionStage, "When departments are asked for written opinions.";
    Role => qaward_domain::permission::Role, "A role of DESIGN.md §1.";
    UserKind => qaward_domain::permission::UserKind, "Staff or applicant.";
    AwardLevel => qaward_domain::policy::Level, "The Award or the Nomination Award.";
    NoticeKind => qaward_domain::policy::NoticeKind, "The kind of a public notice.";
    OrgKind => qaward_domain::subject::OrgKind, "The kind of an organization.";
    Confidentiality => qaward_domain::material::Confidentiality, "An attachment's confidentiality class (A16.4).";
    AttachmentPurpose => qaward_domain::material::Purpose, "What an attachment is for.";
    ObjectionState => qaward_domain::notice::ObjectionState, "Where an objection stands.";
    ComplaintTopic => qaward_domain::complaint::Topic, "What a complaint is about (A27.1).";
    ComplaintStatus => qaward_domain::complaint::Status, "Where a complaint stands (A27.2).";
    ComplaintOutcome => qaward_domain::complaint::Outcome, "How a complaint ended (A27.2).";
    RevocationCause => qaward_domain::application::RevocationCause, "The cause of a revocation (A28.1).";
    RevocationStatus => qaward_domain::revocation::RequestStatus, "Where a revocation request stands (A28.1).";
    ObligationKind => qaward_domain::obligation::Kind, "What a winner is to report (A22, A25).";
    ObligationStatus => qaward_domain::obligation::Status, "Where a winner's obligation stands.";
    PrizeUseCategory => qaward_domain::obligation::UseCategory, "What the prize was used for (A22).";
    AuditAction => qaward_app::audit::AuditAction, "What an audit entry records.";
    InterestKind => qaward_domain::evaluation::conflict::InterestKind, "What ties a staff member or an expert to an applicant (A29).";
    ConflictSource => qaward_domain::evaluation::conflict::ConflictSource, "How a conflict of interest came to be recorded (A29).";
    Aggregation => qaward_domain::scoring::Aggregation, "How a stage's expert totals become one number.";
    EvaluationStage => qaward_domain::application::Stage, "A stage of the evaluation (A17.2).";
    StageStatus => qaward_domain::evaluation::stage::StageStatus, "Where a stage of the evaluation stands.";
    SheetStatus => qaward_domain::evaluation::stage::SheetStatus, "Where a score sheet stands.";
    DrawExclusion => qaward_domain::evaluation::draw::Exclusion, "Why an expert of the pool could not be drawn.";
}
