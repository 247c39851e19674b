//! A winner's voucher files through the use cases (issue #12 item 6; A22), on both
//! backends: attached while the obligation may be reported, judged by their content, at
//! most `MAX_VOUCHERS`; read by the Office and the winner, every read recorded; nobody
//! else attaches, removes or reads them, and learns nothing; once reported they stay as
//! sent until the Office returns the report.

use qaward_app::AppError;
use qaward_app::obligations::{self, vouchers};
use qaward_app::testing::{TestApp, d, refused};
use qaward_domain::obligation::{Kind, Report, UseCategory, UseLine};
use qaward_store::Backend;

qaward_store::on_both!(
    a22_the_winner_attaches_vouchers_the_office_reads_them_and_a_report_seals_them,
);

fn pdf(
    n: usize,
) -> impl futures_util::Stream<Item = Result<Vec<u8>, qaward_app::files::BodyError>> + Send + Unpin
{
    let body = format!("%PDF-1.4\n% voucher {n}\n%%EOF\n").into_bytes();
    futures_util::stream::iter([Ok(body)])
}

async fn a22_the_winner_attaches_vouchers_the_office_reads_them_and_a_report_seals_them(
    b: Backend,
) {
    let t = TestApp::new(b).await;
    let (_, ids) = t.awarded(&[80]).await;
    let office = t.as_user("office").await;
    let winner = qaward_app::auth::login(&t.app, "org0", "correct-horse-1", "test")
        .await
        .unwrap()
        .principal;
    let id = obligations::set_obligation(
        &t.app,
        &office,
        ids[0],
        Kind::PrizeUse,
        d("2027-06-30"),
        "报告奖金使用情况",
    )
    .await
    .unwrap();
    // Nobody but the winner attaches, and whoever may not learns nothing; nothing of
    // theirs is kept.
    for who in ["office", "expert1", "applicant-org", "supervisor"] {
        let p = t.as_user(who).await;
        let e = vouchers::attach(&t.app, &p, id, pdf(90), "发票.pdf")
            .await
            .unwrap_err();
        assert!(matches!(e, AppError::NotFound(_)), "{who}: {e:?}");
        assert_eq!(t.app.store.uploaded_bytes(p.user.id).await.unwrap(), 0);
    }
    vouchers::attach(&t.app, &winner, id, pdf(1), "培训合同")
        .await
        .unwrap();
    vouchers::attach(&t.app, &winner, id, pdf(2), "设备发票.pdf")
        .await
        .unwrap();
    let exe = futures_util::stream::iter([Ok::<_, qaward_app::files::BodyError>(
        b"MZ\x90\x00not a pdf".to_vec(),
    )]);
    let e = vouchers::attach(&t.app, &winner, id, exe, "付款记录.pdf")
        .await
        .unwrap_err();
    assert!(
        matches!(&e, AppError::Invalid { field, .. } if field == "file"),
        "{e:?}"
    );
    // The Office's desk shows the files, named as their content; the Office reads one.
    let desk = obligations::desk(&t.app, &office).await.unwrap();
    let files: Vec<_> = desk.lines[0]
        .files
        .iter()
        .map(|f| f.file_name.as_str())
        .collect();
    assert_eq!(files, ["培训合同.pdf", "设备发票.pdf"]);
    let first = desk.lines[0].files[0].id;
    let (f, _) = vouchers::read(&t.app, &office, id, first).await.unwrap();
    assert_eq!(f.content_type, "application/pdf");
    vouchers::read(&t.app, &winner, id, first).await.unwrap();
    for who in ["expert1", "applicant-org", "supervisor"] {
        let p = t.as_user(who).await;
        let e = vouchers::read(&t.app, &p, id, first).await.unwrap_err();
        assert!(matches!(e, AppError::NotFound(_)), "{who}: {e:?}");
    }
    let log = qaward_store::audit::recent(&t.app.store, 50, None)
        .await
        .unwrap();
    let reads = log
        .iter()
        .filter(|e| e.action == "obligation.voucher-read")
        .count();
    assert_eq!(reads, 2);
    // The winner removes a wrong file; a file of no obligation is not found.
    vouchers::remove(&t.app, &winner, id, first).await.unwrap();
    let e = vouchers::remove(&t.app, &winner, id, first)
        .await
        .unwrap_err();
    assert!(matches!(e, AppError::NotFound(_)), "{e:?}");
    let e = vouchers::remove(&t.app, &office, id, desk.lines[0].files[1].id)
        .await
        .unwrap_err();
    assert!(matches!(e, AppError::NotFound(_)), "{e:?}");
    // At most MAX_VOUCHERS.
    for n in 1..vouchers::MAX_VOUCHERS as usize {
        vouchers::attach(&t.app, &winner, id, pdf(100 + n), "凭证.pdf")
            .await
            .unwrap();
    }
    let e = vouchers::attach(&t.app, &winner, id, pdf(999), "多余.pdf")
        .await
        .unwrap_err();
    assert!(refused(&e, "A22", "obligation-too-many-files"), "{e:?}");
    // Reported, the files stay as sent until the Office returns the report.
    let report = Report::PrizeUse {
        lines: vec![UseLine {
            category: UseCategory::Training,
            yuan: 80_000,
            purpose: "全员质量管理培训".into(),
        }],
        vouchers: "见所附合同和发票".into(),
    };
    obligations::report(&t.app, &winner, id, &report)
        .await
        .unwrap();
    let kept = desk.lines[0].files[1].id;
    let e = vouchers::remove(&t.app, &winner, id, kept)
        .await
        .unwrap_err();
    assert!(refused(&e, "A22", "obligation-wrong-status"), "{e:?}");
    obligations::review(&t.app, &office, id, false, "请补充付款记录")
        .await
        .unwrap();
    vouchers::remove(&t.app, &winner, id, kept).await.unwrap();
    let desk = obligations::desk(&t.app, &winner).await.unwrap();
    assert_eq!(
        desk.lines[0].files.len(),
        vouchers::MAX_VOUCHERS as usize - 1
    );
}
