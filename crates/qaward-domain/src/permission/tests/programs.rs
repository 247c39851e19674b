//! Several grants, and grants held in one program of several (issue #13, item 4): grants
//! add up; a grant of one program covers nothing of another, one bound to no program
//! covers all, and a target that forgets its program refuses rather than opens.

use super::*;

const OTHER_PROGRAM: ProgramId = ProgramId(2);

/// The application of [`inside`], in the other program.
fn elsewhere(role: Role) -> Target {
    Target {
        program: Some(OTHER_PROGRAM),
        cycle: Some(CycleId(9)),
        ..inside(role)
    }
}

#[test]
fn a_program_bound_grant_covers_nothing_of_another_program() {
    for &role in Role::ALL.iter().filter(|r| r.program_bound()) {
        for &perm in Perm::ALL.iter().filter(|p| !p.is_public()) {
            if perm == Perm::DeclareInterest
                || permitted(&actor(role), perm, &inside(role)).is_err()
            {
                continue;
            }
            assert_eq!(
                permitted(&actor(role), perm, &elsewhere(role)),
                Err(Denial::OutOfScope),
                "{role:?} {perm:?} reaches into another program"
            );
        }
    }
}

#[test]
fn roles_in_two_programs_cover_both() {
    let both = Actor {
        user: Some(ME),
        grants: vec![
            Grant::new(Role::Office, Scope::Program)
                .unwrap()
                .in_program(PROGRAM),
            Grant::new(Role::Office, Scope::Program)
                .unwrap()
                .in_program(OTHER_PROGRAM),
        ],
    };
    for target in [inside(Role::Office), elsewhere(Role::Office)] {
        assert!(permitted(&both, Perm::FormalReview, &target).is_ok());
    }
}

#[test]
fn grants_of_no_program_cover_every_program() {
    // An applicant's subject applies to any program; the administrator's installation
    // holds no application content either way.
    let applicant = actor(Role::ApplicantOrg);
    assert!(applicant.grants[0].program.is_none());
    assert!(
        permitted(
            &applicant,
            Perm::EditApplication,
            &elsewhere(Role::ApplicantOrg)
        )
        .is_ok()
    );
    let admin = actor(Role::Admin);
    assert!(permitted(&admin, Perm::LoadData, &Target::default()).is_ok());
}

#[test]
fn a_target_with_a_cycle_but_no_program_opens_nothing_bound_to_one() {
    let forgotten = Target {
        program: None,
        ..inside(Role::Office)
    };
    assert_eq!(
        permitted(&actor(Role::Office), Perm::ViewApplication, &forgotten),
        Err(Denial::OutOfScope)
    );
    // A grant stored without its program (a role bound to one) covers no program's object.
    let unbound = Actor {
        user: Some(ME),
        grants: vec![Grant::new(Role::Office, Scope::Program).unwrap()],
    };
    assert_eq!(
        permitted(&unbound, Perm::ViewApplication, &inside(Role::Office)),
        Err(Denial::OutOfScope)
    );
}

#[test]
fn a_check_about_no_object_passes_in_every_program() {
    // "May this person publish notices at all?": the lists behind it are read per program.
    assert!(
        permitted(
            &actor(Role::Office),
            Perm::PublishNotice,
            &Target::default()
        )
        .is_ok()
    );
}

#[test]
fn only_program_bound_roles_keep_a_program() {
    let applicant = Grant::new(Role::ApplicantOrg, Scope::Subject(SUBJECT))
        .unwrap()
        .in_program(PROGRAM);
    assert_eq!(applicant.program, None);
    let office = Grant::new(Role::Office, Scope::Program)
        .unwrap()
        .in_program(PROGRAM);
    assert_eq!(office.program, Some(PROGRAM));
    let json = serde_json::to_value(&office).unwrap();
    assert_eq!(json["program"], 1);
    let back: Grant = serde_json::from_value(json).unwrap();
    assert_eq!(back, office);
}

#[test]
fn several_grants_add_up() {
    let a = Actor {
        user: Some(ME),
        grants: vec![
            Grant::new(Role::CountyReviewer, Scope::County("yuanping".into()))
                .unwrap()
                .in_program(PROGRAM),
            Grant::new(Role::CountyReviewer, Scope::County("xinfu".into()))
                .unwrap()
                .in_program(PROGRAM),
        ],
    };
    assert!(permitted(&a, Perm::ChannelReview, &inside(Role::CountyReviewer)).is_ok());
    assert!(permitted(&a, Perm::ChannelReview, &outside()).is_ok());
}
