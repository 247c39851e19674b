//! The permission function as a table: role × action × scope.

use super::*;
use crate::text::Vocabulary;

/// Columns, in this order: applicant-org, applicant-person, county-reviewer,
/// county-government, industry-dept, office, agency, expert, supervisor, leading-group,
/// opinion-dept, hr-bureau, government, admin. `x`: allowed on a target inside the grant's
/// scope.
const TABLE: &[(Perm, &str)] = &[
    //                           AO AP CR CG ID OF AG EX SU LG OD HR GV AD
    (
        Perm::ReadNotices,
        "x  x  x  x  x  x  x  x  x  x  x  x  x  x",
    ),
    (
        Perm::RaiseObjection,
        "x  x  x  x  x  x  x  x  x  x  x  x  x  x",
    ),
    (
        Perm::FileComplaint,
        "x  x  x  x  x  x  x  x  x  x  x  x  x  x",
    ),
    (
        Perm::VerifyCertificate,
        "x  x  x  x  x  x  x  x  x  x  x  x  x  x",
    ),
    (
        Perm::EditApplication,
        "x  x  .  .  .  .  .  .  .  .  .  .  .  .",
    ),
    (
        Perm::RequestExclusion,
        "x  x  .  .  .  .  .  .  .  .  .  .  .  .",
    ),
    (
        Perm::SubmitApplication,
        "x  x  .  .  .  .  .  .  .  .  .  .  .  .",
    ),
    (
        Perm::WithdrawApplication,
        "x  x  .  .  .  .  .  .  .  .  .  .  .  .",
    ),
    (
        Perm::ReportAfterAward,
        "x  x  .  .  .  .  .  .  .  .  .  .  .  .",
    ),
    (
        Perm::ViewApplication,
        "x  x  x  x  x  x  x  x  x  x  x  .  x  .",
    ),
    (
        Perm::ViewTradeSecret,
        "x  x  .  .  .  x  .  x  x  .  .  .  .  .",
    ),
    (
        Perm::ViewFullResidentId,
        ".  x  .  .  .  x  .  .  .  .  .  .  .  .",
    ),
    (
        Perm::ChannelReview,
        ".  .  x  .  x  .  .  .  .  .  .  .  .  .",
    ),
    (
        Perm::ConfirmRegistration,
        ".  .  x  .  .  x  .  .  .  .  .  .  .  .",
    ),
    (
        Perm::CountyRecommend,
        ".  .  .  x  .  .  .  .  .  .  .  .  .  .",
    ),
    (
        Perm::IndustryRecommend,
        ".  .  .  .  x  .  .  .  .  .  .  .  .  .",
    ),
    (
        Perm::RequestBackgroundOpinions,
        ".  .  x  .  x  .  .  .  .  .  .  .  .  .",
    ),
    (
        Perm::ManageCycle,
        ".  .  .  .  .  x  .  .  .  .  .  .  .  .",
    ),
    (
        Perm::FormalReview,
        ".  .  .  .  .  x  .  .  .  .  .  .  .  .",
    ),
    (
        Perm::RequestOpinions,
        ".  .  .  .  .  x  .  .  .  .  .  .  .  .",
    ),
    (
        Perm::PublishNotice,
        ".  .  .  .  .  x  .  .  .  .  .  .  .  .",
    ),
    (
        Perm::ManageExperts,
        ".  .  .  .  .  x  x  .  .  .  .  .  .  .",
    ),
    (
        Perm::ManagePanels,
        ".  .  .  .  .  x  x  .  .  .  .  .  .  .",
    ),
    (
        Perm::ProposeCandidates,
        ".  .  .  .  .  x  .  .  .  .  .  .  .  .",
    ),
    (
        Perm::FileJointReport,
        ".  .  .  .  .  x  .  .  .  .  .  .  .  .",
    ),
    (
        Perm::RecordAwardDelivery,
        ".  .  .  .  .  x  .  .  .  .  .  .  .  .",
    ),
    (
        Perm::ViewDashboard,
        ".  .  .  .  .  x  x  .  x  x  .  x  x  .",
    ),
    (
        Perm::RequestRevocation,
        ".  .  .  .  .  x  .  .  .  .  .  .  .  .",
    ),
    (
        Perm::AnswerSupervisionRequest,
        ".  .  .  .  .  x  .  .  .  .  .  .  .  .",
    ),
    (
        Perm::ReviewObligations,
        ".  .  .  .  .  x  .  .  .  .  .  .  .  .",
    ),
    (
        Perm::AnswerOpinion,
        ".  .  .  .  .  .  .  .  .  .  x  .  .  .",
    ),
    (Perm::Score, ".  .  .  .  .  .  .  x  .  .  .  .  .  ."),
    (
        Perm::DeclareConflict,
        ".  .  .  .  .  .  .  x  .  .  .  .  .  .",
    ),
    (
        Perm::SuperviseEvaluation,
        ".  .  .  .  .  .  .  .  x  .  .  .  .  .",
    ),
    (
        Perm::HandleComplaint,
        ".  .  .  .  .  .  .  .  x  .  .  .  .  .",
    ),
    (
        Perm::ViewReporterIdentity,
        ".  .  .  .  .  .  .  .  x  .  .  .  .  .",
    ),
    (
        Perm::ViewAuditLog,
        ".  .  .  .  .  .  .  .  x  .  .  .  .  .",
    ),
    (
        Perm::HandleObjection,
        ".  .  .  .  .  .  .  .  .  x  .  .  .  .",
    ),
    (Perm::Deliberate, ".  .  .  .  .  .  .  .  .  x  .  .  .  ."),
    (
        Perm::ApproveException,
        ".  .  .  .  .  .  .  .  .  x  .  .  .  .",
    ),
    (
        Perm::CoSignJointReport,
        ".  .  .  .  .  .  .  .  .  .  .  x  .  .",
    ),
    (
        Perm::DecideAwards,
        ".  .  .  .  .  .  .  .  .  .  .  .  x  .",
    ),
    (
        Perm::DecideRevocation,
        ".  .  .  .  .  .  .  .  .  .  .  .  x  .",
    ),
    (
        Perm::ManageAccounts,
        ".  .  .  .  .  .  .  .  .  .  .  .  .  x",
    ),
    (Perm::LoadPolicy, ".  .  .  .  .  x  .  .  .  .  .  .  .  x"),
    (Perm::LoadData, ".  .  .  .  .  .  .  .  .  .  .  .  .  x"),
    (Perm::Backup, ".  .  .  .  .  .  .  .  .  .  .  .  .  x"),
    (
        Perm::ReadMetrics,
        ".  .  .  .  .  .  .  .  .  .  .  .  .  x",
    ),
    (
        Perm::DeclareInterest,
        ".  .  x  x  x  x  x  x  x  x  x  x  x  x",
    ),
];

const ME: UserId = UserId(7);
const OTHER: UserId = UserId(8);
const SUBJECT: SubjectId = SubjectId(100);
const CYCLE: CycleId = CycleId(3);
const PROGRAM: ProgramId = ProgramId(1);

fn scope_for(role: Role) -> Scope {
    match role.scope_kind() {
        ScopeKind::Subject => Scope::Subject(SUBJECT),
        ScopeKind::County => Scope::County("xinfu".into()),
        ScopeKind::Industry => Scope::Industry("industry-it".into()),
        ScopeKind::OpinionDept => Scope::OpinionDept("tax".into()),
        ScopeKind::Cycles => Scope::Cycles(vec![CYCLE]),
        ScopeKind::Program => Scope::Program,
        ScopeKind::Installation => Scope::Installation,
    }
}

fn actor(role: Role) -> Actor {
    Actor {
        user: Some(ME),
        grants: vec![
            Grant::new(role, scope_for(role))
                .unwrap()
                .in_program(PROGRAM),
        ],
    }
}

/// A target inside the scope of every grant of [`scope_for`]: the application of
/// SUBJECT in CYCLE, submitted to 忻府区, with an opinion request to the tax department and
/// ME assigned as expert. For the industry role, the channel is that department.
fn inside(role: Role) -> Target {
    Target {
        subject: Some(SUBJECT),
        program: Some(PROGRAM),
        cycle: Some(CYCLE),
        channel: Some(if role == Role::IndustryDept {
            Channel::Industry("industry-it".into())
        } else {
            Channel::County("xinfu".into())
        }),
        county: Some("xinfu".into()),
        opinion_dept: Some("tax".into()),
        assigned_experts: vec![ME],
        recused: vec![],
        unsubmitted: false,
    }
}

/// The same application seen from outside: another subject, another county and
/// industry, another cycle, another department, other experts.
fn outside() -> Target {
    Target {
        subject: Some(SubjectId(101)),
        program: Some(PROGRAM),
        cycle: Some(CycleId(4)),
        channel: Some(Channel::County("yuanping".into())),
        county: Some("yuanping".into()),
        opinion_dept: Some("public-security".into()),
        assigned_experts: vec![OTHER],
        recused: vec![],
        unsubmitted: false,
    }
}

#[test]
fn the_table_covers_every_permission_once() {
    assert_eq!(TABLE.len(), Perm::ALL.len());
    for (i, p) in Perm::ALL.iter().enumerate() {
        assert_eq!(TABLE[i].0, *p);
        assert_eq!(
            TABLE[i].1.split_whitespace().count(),
            Role::ALL.len(),
            "{p:?}"
        );
    }
}

#[test]
fn role_by_action_inside_scope_matches_the_table() {
    let mut wrong = Vec::new();
    for (perm, row) in TABLE {
        for (role, mark) in Role::ALL.iter().zip(row.split_whitespace()) {
            let expected = mark == "x";
            let got = permitted(&actor(*role), *perm, &inside(*role)).is_ok();
            if got != expected {
                wrong.push(format!(
                    "{} {perm:?}: expected {expected}, got {got}",
                    role.code()
                ));
            }
        }
    }
    assert!(wrong.is_empty(), "{wrong:#?}");
}

#[test]
fn scoped_roles_are_denied_outside_their_scope() {
    let mut wrong = Vec::new();
    for (perm, row) in TABLE {
        for (role, mark) in Role::ALL.iter().zip(row.split_whitespace()) {
            if mark != "x" || perm.is_public() || *perm == Perm::DeclareInterest {
                continue;
            }
            let scoped = !matches!(
                role.scope_kind(),
                ScopeKind::Program | ScopeKind::Installation
            ) || *role == Role::Expert;
            // Dashboards and program-wide actions carry no subject; applications do.
            let got = permitted(&actor(*role), *perm, &outside());
            if scoped && got != Err(Denial::OutOfScope) {
                wrong.push(format!("{} {perm:?} outside scope: {got:?}", role.code()));
            }
            if !scoped && got.is_err() {
                wrong.push(format!(
                    "{} {perm:?} program-wide denied: {got:?}",
                    role.code()
                ));
            }
        }
    }
    assert!(wrong.is_empty(), "{wrong:#?}");
}

#[test]
fn a10_1_registrations_are_confirmed_by_their_own_county_or_the_office() {
    let registration = |county: &str| Target {
        subject: Some(SUBJECT),
        county: Some(county.into()),
        ..Target::default()
    };
    let reviewer = actor(Role::CountyReviewer);
    let perm = Perm::ConfirmRegistration;
    assert!(permitted(&reviewer, perm, &registration("xinfu")).is_ok());
    assert_eq!(
        permitted(&reviewer, perm, &registration("yuanping")),
        Err(Denial::OutOfScope)
    );
    // The county of a registration opens nothing else: applications go by their channel.
    assert_eq!(
        permitted(&reviewer, Perm::ViewApplication, &registration("xinfu")),
        Err(Denial::OutOfScope)
    );
    assert!(permitted(&actor(Role::Office), perm, &registration("yuanping")).is_ok());
    let gov = actor(Role::CountyGovernment);
    assert_eq!(
        permitted(&gov, perm, &registration("xinfu")),
        Err(Denial::NoRole)
    );
}

#[test]
fn a15_1_county_reviewer_of_one_county_cannot_review_another() {
    let a = actor(Role::CountyReviewer);
    assert!(permitted(&a, Perm::ChannelReview, &inside(Role::CountyReviewer)).is_ok());
    let mut t = inside(Role::CountyReviewer);
    t.channel = Some(Channel::County("yuanping".into()));
    assert_eq!(
        permitted(&a, Perm::ChannelReview, &t),
        Err(Denial::OutOfScope)
    );
    t.channel = Some(Channel::Industry("industry-it".into()));
    assert_eq!(
        permitted(&a, Perm::ChannelReview, &t),
        Err(Denial::OutOfScope)
    );
    // An application not yet submitted has no channel: no reviewer sees it.
    t.channel = None;
    assert_eq!(
        permitted(&a, Perm::ViewApplication, &t),
        Err(Denial::OutOfScope)
    );
}

#[test]
fn the_public_may_only_read_object_complain_and_verify() {
    for perm in Perm::ALL {
        let got = permitted(&Actor::public(), perm, &inside(Role::Office));
        assert_eq!(got.is_ok(), perm.is_public(), "{perm:?}");
        if !perm.is_public() {
            assert_eq!(got, Err(Denial::NotLoggedIn));
        }
    }
}

#[test]
fn a29_recused_staff_cannot_see_or_act_on_the_application() {
    for role in [
        Role::Office,
        Role::Supervisor,
        Role::Expert,
        Role::CountyReviewer,
        Role::LeadingGroup,
    ] {
        let mut t = inside(role);
        t.recused = vec![ME];
        assert_eq!(
            permitted(&actor(role), Perm::ViewApplication, &t),
            Err(Denial::Recused(rule::A29)),
            "{role:?}"
        );
        // The declaration itself stays possible, and others are unaffected.
        assert!(permitted(&actor(role), Perm::DeclareInterest, &t).is_ok());
        let other = Actor {
            user: Some(OTHER),
            ..actor(role)
        };
        if role != Role::Expert {
            assert!(
                permitted(&other, Perm::ViewApplication, &t).is_ok(),
                "{role:?}"
            );
        }
    }
}

#[test]
fn a30_trade_secrets_only_for_office_assigned_experts_supervisors_and_the_owner() {
    let allowed: Vec<Role> = Role::ALL
        .iter()
        .copied()
        .filter(|r| permitted(&actor(*r), Perm::ViewTradeSecret, &inside(*r)).is_ok())
        .collect();
    assert_eq!(
        allowed,
        [
            Role::ApplicantOrg,
            Role::ApplicantPerson,
            Role::Office,
            Role::Expert,
            Role::Supervisor
        ]
    );
    // An expert not assigned to the application does not see them.
    let mut t = inside(Role::Expert);
    t.assigned_experts = vec![OTHER];
    assert_eq!(
        permitted(&actor(Role::Expert), Perm::ViewTradeSecret, &t),
        Err(Denial::OutOfScope)
    );
}

#[test]
fn a9_2_agency_works_only_on_delegated_cycles() {
    let a = actor(Role::Agency);
    assert!(permitted(&a, Perm::ManagePanels, &inside(Role::Agency)).is_ok());
    assert_eq!(
        permitted(&a, Perm::ManagePanels, &outside()),
        Err(Denial::OutOfScope)
    );
    assert_eq!(
        permitted(&a, Perm::FormalReview, &inside(Role::Agency)),
        Err(Denial::NoRole)
    );
}

#[test]
fn grants_take_the_scope_of_their_role() {
    assert!(Grant::new(Role::CountyReviewer, Scope::Program).is_err());
    assert!(Grant::new(Role::Office, Scope::County("xinfu".into())).is_err());
    assert!(Grant::new(Role::Agency, Scope::Cycles(vec![])).is_err());
    assert!(Grant::new(Role::Admin, Scope::Installation).is_ok());
    for r in Role::ALL {
        assert_eq!(r.code().parse::<Role>(), Ok(*r));
    }
    assert_eq!(
        Grant::parse("county-reviewer", "county:xinfu"),
        Ok(Grant::new(Role::CountyReviewer, Scope::County("xinfu".into())).unwrap())
    );
    assert_eq!(
        Grant::parse("office", ""),
        Ok(Grant::new(Role::Office, Scope::Program).unwrap())
    );
    assert_eq!(
        Grant::parse("office", "county:xinfu").unwrap_err().0,
        "scope"
    );
    assert_eq!(Grant::parse("chief", "").unwrap_err().0, "role");
    for scope in [
        "county:xinfu",
        "industry:industry-it",
        "opinion-dept:tax",
        "cycles:1,2",
        "subject:5",
        "program",
        "installation",
    ] {
        assert_eq!(scope.parse::<Scope>().unwrap().to_string(), scope);
    }
    assert!("county:".parse::<Scope>().is_err());
    assert!("cycles:x".parse::<Scope>().is_err());
}

#[test]
fn a7_office_runs_acceptance_review_notices_and_panels() {
    let a = actor(Role::Office);
    for p in [
        Perm::ManageCycle,
        Perm::FormalReview,
        Perm::RequestOpinions,
        Perm::PublishNotice,
        Perm::ManagePanels,
        Perm::ProposeCandidates,
    ] {
        assert!(permitted(&a, p, &outside()).is_ok(), "{p:?}");
    }
    // But decides neither objections nor awards (A6, A20.2).
    for p in [Perm::HandleObjection, Perm::Deliberate, Perm::DecideAwards] {
        assert_eq!(permitted(&a, p, &outside()), Err(Denial::NoRole), "{p:?}");
    }
}

#[test]
fn a17_3_supervision_group_watches_but_does_not_act_on_applications() {
    let a = actor(Role::Supervisor);
    for p in [
        Perm::ViewApplication,
        Perm::ViewTradeSecret,
        Perm::ViewAuditLog,
        Perm::ViewDashboard,
    ] {
        assert!(permitted(&a, p, &outside()).is_ok(), "{p:?}");
    }
    for p in [
        Perm::ChannelReview,
        Perm::FormalReview,
        Perm::Score,
        Perm::Deliberate,
        Perm::PublishNotice,
        Perm::EditApplication,
    ] {
        assert_eq!(permitted(&a, p, &outside()), Err(Denial::NoRole), "{p:?}");
    }
}

#[test]
fn a22_a25_winners_report_prize_use_and_promotion_on_their_own_subject() {
    let a = actor(Role::ApplicantOrg);
    assert!(permitted(&a, Perm::ReportAfterAward, &inside(Role::ApplicantOrg)).is_ok());
    assert_eq!(
        permitted(&a, Perm::ReportAfterAward, &outside()),
        Err(Denial::OutOfScope)
    );
}

#[test]
fn a26_a27_1_anyone_reads_notices_objects_and_complains_without_logging_in() {
    for p in [
        Perm::ReadNotices,
        Perm::RaiseObjection,
        Perm::FileComplaint,
        Perm::VerifyCertificate,
    ] {
        assert!(
            permitted(&Actor::public(), p, &Target::default()).is_ok(),
            "{p:?}"
        );
    }
}

#[test]
fn a27_2_only_supervisors_read_a_reporters_identity() {
    let allowed: Vec<Role> = Role::ALL
        .iter()
        .copied()
        .filter(|r| permitted(&actor(*r), Perm::ViewReporterIdentity, &inside(*r)).is_ok())
        .collect();
    assert_eq!(allowed, [Role::Supervisor]);
}

#[test]
fn a30_full_resident_id_only_for_the_person_and_the_office() {
    let allowed: Vec<Role> = Role::ALL
        .iter()
        .copied()
        .filter(|r| permitted(&actor(*r), Perm::ViewFullResidentId, &inside(*r)).is_ok())
        .collect();
    assert_eq!(allowed, [Role::ApplicantPerson, Role::Office]);
}

#[test]
fn a29_any_staff_member_may_declare_an_interest_in_any_applicant() {
    for &role in Role::ALL {
        let got = permitted(&actor(role), Perm::DeclareInterest, &outside());
        let staff = !matches!(role, Role::ApplicantOrg | Role::ApplicantPerson);
        assert_eq!(got.is_ok(), staff, "{role:?}");
    }
}

#[test]
fn a3_an_unsubmitted_draft_is_its_applicants_alone() {
    let draft = |role| Target {
        channel: None,
        unsubmitted: true,
        ..inside(role)
    };
    assert!(
        permitted(
            &actor(Role::ApplicantOrg),
            Perm::ViewApplication,
            &draft(Role::ApplicantOrg)
        )
        .is_ok()
    );
    for role in Role::ALL.iter().copied().filter(|r| r.is_staff()) {
        assert!(
            permitted(&actor(role), Perm::ViewApplication, &draft(role)).is_err(),
            "{role} reads a draft"
        );
    }
}

mod programs;
