// The applicant's journey in a real browser (Debian's headless Chromium, driven by
// playwright-core): a link to a protected page leads through the login and back; an
// organization registers, drafts the application, records the in-unit notice and attaches
// the photo of it posted; the county reviewer confirms the registration against the
// business licence; the organization submits to the county; the county reviewer passes
// it, the county government recommends it, and its letter reopens from the application.
// Then the Office's review, the acceptance list, the evaluation's three stages by the drawn
// panel, and the commendation: the candidate list, the county's background opinions, the
// candidates' notice, the Leading Group's deliberation, the proposed winners' notice, the
// joint report co-signed by the HR bureau, the Government's decision — to a certificate
// that downloads as a PDF and verifies on the public page.
// No JavaScript runs in the pages: everything is forms and links.
//
// Then the pages are checked for accessibility with axe-core (injected by the test; the
// pages themselves have no script), at desktop and at phone width: the public pages, the
// login page, the application page and the Office's pages must have no serious or
// critical violation (every input labelled, text and buttons in contrast), each
// checkbox and radio must sit beside its label, and keyboard focus must show.
//
// Usage: node e2e/journey.mjs [path/to/qaward]   (default target/debug/qaward)

import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';

const axeSource = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

const bin = process.argv[2] ?? 'target/debug/qaward';
const data = mkdtempSync(join(tmpdir(), 'qaward-e2e-'));
const failures = [];
let passed = 0;

// The server on the same data, with a fixed "today" inside the demo cycle's window: the
// journey starts on Monday 2026-11-23 and goes on a week later, once the in-unit notice
// has run.
function startServer(today) {
  return new Promise((resolve, reject) => {
    const server = spawn(bin, ['serve', '--demo', '--data', data, '--listen', '127.0.0.1:0', '--today', today], {
      env: { ...process.env, RUST_LOG: 'warn' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const timer = setTimeout(() => reject(new Error('the server did not start')), 60000);
    server.stdout.on('data', (chunk) => {
      const m = /qaward serving on (http:\/\/\S+)/.exec(chunk.toString());
      if (m) {
        clearTimeout(timer);
        resolve({ server, base: m[1] });
      }
    });
    server.on('exit', (code) => reject(new Error(`the server exited with ${code}`)));
  });
}

async function step(name, fn) {
  try {
    await fn();
    passed += 1;
    console.log(`ok - ${name}`);
  } catch (e) {
    failures.push(name);
    console.log(`not ok - ${name}: ${e.message}`);
    throw e;
  }
}

async function login(username, password, on = page) {
  await on.goto(`${base}/login`);
  await on.fill('#username', username);
  await on.fill('#password', password);
  await Promise.all([on.waitForURL(`${base}/`), on.click('button[type=submit]')]);
}

async function logout(on = page) {
  await Promise.all([on.waitForURL(`${base}/?done=logged-out`), on.click('form[action="/logout"] button')]);
  expectText(await on.content(), '已退出登录');
}

// axe-core's serious and critical violations on the page `on` shows, as text.
async function axeViolations(on) {
  await on.addScriptTag({ path: axeSource });
  const result = await on.evaluate(async () => {
    // eslint-disable-next-line no-undef
    const r = await axe.run(document, { resultTypes: ['violations'] });
    return r.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).slice(0, 5).join(', ')}`);
  });
  return result;
}

// Every checkbox and radio sits at the start of its label's first line, not centred on a
// line of its own; every button's text differs in colour from what is behind it.
async function controlsProblems(on) {
  return on.evaluate(() => {
    const problems = [];
    for (const input of document.querySelectorAll('input[type=checkbox], input[type=radio]')) {
      const label = input.closest('label');
      if (!label) continue;
      const i = input.getBoundingClientRect();
      const l = label.getBoundingClientRect();
      // A box wider than the box is drawn centred in it, away from its text.
      const small = i.width <= 32 && i.height <= 32;
      // The label's first words start to the right of the box, on its line.
      const walker = document.createTreeWalker(label, NodeFilter.SHOW_TEXT);
      let text = walker.nextNode();
      while (text && !text.textContent.trim()) text = walker.nextNode();
      let beside = true;
      if (text) {
        const range = document.createRange();
        range.selectNodeContents(text);
        const first = range.getClientRects()[0];
        beside = first && first.left >= i.right - 1 && Math.abs(first.top + first.height / 2 - (i.top + i.height / 2)) <= first.height;
      }
      if (!small || !beside || Math.abs(i.left - l.left) > 4) {
        problems.push(`${input.name}=${input.value} is not beside its label (box ${i.width}×${i.height} at ${i.left},${i.top}; label at ${l.left},${l.top})`);
      }
    }
    const opaque = (el) => {
      for (let e = el; e; e = e.parentElement) {
        const bg = getComputedStyle(e).backgroundColor;
        if (bg !== 'rgba(0, 0, 0, 0)' && bg !== 'transparent') return bg;
      }
      return 'rgb(255, 255, 255)';
    };
    for (const b of document.querySelectorAll('button')) {
      if (getComputedStyle(b).color === opaque(b)) problems.push(`the button "${b.textContent.trim()}" is invisible: its text is the colour of its background`);
    }
    return problems;
  });
}

// Keyboard focus shows: the first link the Tab key reaches gets an outline.
async function focusShows(on) {
  await on.keyboard.press('Tab');
  return on.evaluate(() => {
    const el = document.activeElement;
    const s = getComputedStyle(el);
    return el !== document.body && s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2;
  });
}

// Checks the page `on` is at: no serious axe violation, controls in place, focus visible.
async function accessible(on, what) {
  const problems = [...(await axeViolations(on)), ...(await controlsProblems(on))];
  if (!(await focusShows(on))) problems.push('keyboard focus does not show');
  if (problems.length > 0) throw new Error(`${what}:\n  ${problems.join('\n  ')}`);
}

function expectText(body, text) {
  if (!body.includes(text)) throw new Error(`the page does not show ${JSON.stringify(text)}`);
}

let { server, base } = await startServer('2026-11-23');
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});
// A phone-sized window: applicants use phones.
const context = await browser.newContext({ viewport: { width: 390, height: 844 }, javaScriptEnabled: false });
const page = await context.newPage();

let applicationUrl;
let sheetUrl;
let complaintUrl;
let verifyUrl;
let announcementUrl;

try {
  await step('a link to a protected page leads through the login and back to it', async () => {
    await page.goto(`${base}/notifications`);
    if (!page.url().startsWith(`${base}/login?next=`)) throw new Error(`at ${page.url()}, not the login form`);
    expectText(await page.content(), '请先登录');
    await page.fill('#username', 'applicant-org');
    await page.fill('#password', 'qaward-demo');
    await Promise.all([page.waitForURL(`${base}/notifications`), page.click('form[action="/login"] button[type=submit]')]);
    await logout();
  });

  await step('an organization registers and is logged in', async () => {
    await page.goto(`${base}/register/organization`);
    await page.fill('#name', '忻州市浏览器测试有限公司');
    await page.fill('#credit_code', '91140902123456789G');
    await page.selectOption('#kind', 'enterprise');
    await page.selectOption('#county', 'xinfu');
    await page.fill('#founded', '2012-04-01');
    await page.fill('#legal_representative', '冯测试');
    await page.fill('#contact_name', '陈联系');
    await page.fill('#contact_phone', '0350-6000000');
    await page.fill('#username', 'browser-org');
    await page.fill('#password', 'browser-password-1');
    await Promise.all([page.waitForURL(`${base}/`), page.click('button[type=submit]')]);
    expectText(await page.content(), '欢迎，忻州市浏览器测试有限公司');
  });

  await step('the applicant drafts the application', async () => {
    await page.click('a[href="/applications/mine"]');
    await Promise.all([page.waitForURL(/\/applications\/\d+\?done=started$/), page.click('text=开始填写申报书')]);
    await page.fill('textarea[name="sections[4.1]"]', '公司高层领导践行质量第一理念……');
    for (const r of ['A10.1', 'A10.2', 'A10.3', 'A10.4']) await page.check(`input[name="declarations[]"][value="${r}"]`);
    await page.check('input[name=authenticity]');
    await page.check('input[name=no_state_secrets]');
    await Promise.all([page.waitForLoadState(), page.click('text=保存')]);
    expectText(await page.content(), '公司高层领导践行质量第一理念');
  });

  await step('the applicant records the in-unit notice', async () => {
    await page.fill('#n-start', '2026-11-23');
    await Promise.all([page.waitForLoadState(), page.click('text=登记内部公示')]);
    expectText(await page.content(), '2026年11月23日 – 2026年11月27日');
  });

  await step('a refused form keeps what was typed, and a submission lists every unmet condition', async () => {
    // An objection dated before the notice: refused, on the same page, the text still there.
    await page.fill('#o-date', '2026-11-20');
    await page.fill('#o-content', '浏览器测试：对获奖情况有异议');
    await Promise.all([page.waitForLoadState(), page.click('form[action$="/in-unit-objections"] button')]);
    const refused = await page.content();
    expectText(refused, '依据《管理办法》第十四条');
    if ((await page.inputValue('#o-content')) !== '浏览器测试：对获奖情况有异议') throw new Error('the typed objection was lost');
    // Submitting while the notice runs and before its photo is attached: every condition at once.
    await page.goto(`${base}${new URL(page.url()).pathname.replace(/\/in-unit-objections$/, '')}`);
    await page.selectOption('#channel', 'county:xinfu');
    await Promise.all([page.waitForLoadState(), page.click('form[action$="/submit"] button')]);
    const unmet = await page.content();
    for (const text of ['尚有以下条件未满足', '请上传单位内部公示张贴情况的扫描件或照片', '2026年11月27日结束']) expectText(unmet, text);
    await page.goto(`${base}${new URL(page.url()).pathname.replace(/\/submit$/, '')}`);
  });

  await step('the applicant attaches the photo of the posted notice', async () => {
    await page.selectOption('#a-purpose', 'in-unit-scan');
    await page.setInputFiles('#a-file', {
      name: '内部公示照片.pdf',
      mimeType: 'application/pdf',
      buffer: Buffer.from('%PDF-1.7\n% the posted notice\n'),
    });
    await Promise.all([page.waitForLoadState(), page.click('form[action$="/attachments"] button')]);
    expectText(await page.content(), '内部公示照片.pdf');
  });

  await step('the county reviewer confirms the registration against the licence', async () => {
    await page.click('form[action="/logout"] button');
    await login('county-reviewer', 'qaward-demo');
    await page.click('a[href="/registrations"]');
    expectText(await page.content(), '91140902123456789G');
    await page.fill('input[name=document]', '营业执照 91140902123456789G（原件已核）');
    await Promise.all([page.waitForURL(`${base}/registrations?done=registration-confirmed`), page.click('form[action$="/confirm"] button')]);
    expectText(await page.content(), '已确认注册信息');
    expectText(await page.content(), '目前没有待办的申报');
    await page.click('form[action="/logout"] button');
    await login('browser-org', 'browser-password-1');
    await Promise.all([page.waitForURL(/\/applications\/\d+$/), page.click('a[href="/applications/mine"]')]);
  });

  await step('a week later, the applicant comes back', async () => {
    server.kill('SIGTERM');
    await new Promise((done) => server.once('close', done));
    ({ server, base } = await startServer('2026-12-01'));
    // Still logged in: the session is in the database, the cookie in the browser.
    await page.goto(`${base}/`);
    await Promise.all([page.waitForURL(/\/applications\/\d+$/), page.click('a[href="/applications/mine"]')]);
    applicationUrl = new URL(page.url()).pathname;
  });

  await step('the applicant submits to its county', async () => {
    await page.selectOption('#channel', 'county:xinfu');
    await Promise.all([page.waitForLoadState(), page.click('form[action$="/submit"] button')]);
    expectText(await page.content(), '已报送，待审核');
  });

  await step('the county reviewer passes it', async () => {
    await page.click('form[action="/logout"] button');
    await login('county-reviewer', 'qaward-demo');
    await page.click('a[href="/queue"]');
    await page.click('text=忻州市浏览器测试有限公司');
    await page.fill('#r-c', '材料齐全');
    await page.check('input[name=decision][value=pass]');
    await page.check('input[name=in_unit_notice_clear]');
    await Promise.all([page.waitForURL(/\/queue\?done=passed$/), page.click('form[action$="/review"] button')]);
    expectText(await page.content(), '已通过审核');
    expectText(await page.content(), '目前没有待办的申报');
  });

  await step('the county government recommends it, and the letter reopens from the application', async () => {
    await logout();
    await login('county-government', 'qaward-demo');
    await page.click('a[href="/queue"]');
    const id = applicationUrl.split('/').pop();
    await page.check(`input[name=applications][value="${id}"]`);
    await Promise.all([page.waitForLoadState(), page.click('form[action="/recommend"] button')]);
    expectText(await page.content(), '关于推荐申报忻州市市长质量奖的函');
    await page.goto(`${base}${applicationUrl}`);
    await Promise.all([page.waitForURL(`${base}${applicationUrl}/letter`), page.click(`a[href="${applicationUrl}/letter"]`)]);
    const letter = await page.content();
    for (const text of ['关于推荐申报忻州市市长质量奖的函', '忻州市浏览器测试有限公司', '忻府区人民政府']) expectText(letter, text);
    await logout();
  });

  await step('the Office asks the public-security bureau, which answers, and the Office reads the answer in full', async () => {
    const id = applicationUrl.split('/').pop();
    await login('office', 'qaward-demo');
    await page.goto(`${base}/office`);
    await page.check(`form[action="/office/${id}/opinions"] input[value="public-security"]`);
    await page.fill(`#due-${id}`, '2026-12-08');
    await Promise.all([page.waitForLoadState(), page.click(`form[action="/office/${id}/opinions"] button`)]);
    await logout();
    await login('opinion-dept', 'qaward-demo');
    await page.goto(`${base}/opinions`);
    await Promise.all([page.waitForLoadState(), page.click('main a[href^="/opinions/"]')]);
    expectText(await page.content(), '91140902123456789G');
    await page.check('input[name=adverse][value=false]');
    await page.fill('textarea[name=answer]', '经查，该单位近三年无违法犯罪记录。');
    await Promise.all([page.waitForLoadState(), page.click('form[action$="/answer"] button')]);
    await logout();
    await login('office', 'qaward-demo');
    await page.goto(`${base}/office/${id}/opinions`);
    const answers = await page.content();
    for (const text of ['经查，该单位近三年无违法犯罪记录。', '91140902123456789G']) expectText(answers, text);
    await logout();
  });

  await step('the Office passes the formal review and puts it on the acceptance list', async () => {
    const id = applicationUrl.split('/').pop();
    await login('office', 'qaward-demo');
    await page.goto(`${base}/office`);
    await page.check(`#f-formal-${id} input[name=decision][value=pass]`);
    await Promise.all([page.waitForLoadState(), page.click(`#f-formal-${id} button`)]);
    await page.goto(`${base}/office`);
    await page.fill('#pl-start', '2026-12-02');
    await page.fill('#pl-contact', '0350-3036666');
    await Promise.all([page.waitForLoadState(), page.click('#f-publish button')]);
    await logout();
  });

  await step('once the notice has run, the Office accepts it', async () => {
    server.kill('SIGTERM');
    await new Promise((done) => server.once('close', done));
    ({ server, base } = await startServer('2026-12-09'));
    const id = applicationUrl.split('/').pop();
    await login('office', 'qaward-demo');
    await page.goto(`${base}/office`);
    await Promise.all([page.waitForLoadState(), page.click(`form[action="/office/${id}/accept"] button`)]);
    await page.goto(`${base}${applicationUrl}`);
    expectText(await page.content(), '评审安排与专家回避');
  });

  await step('the Office sets the evaluation plan, forms a panel and commits to a draw', async () => {
    const id = applicationUrl.split('/').pop();
    await Promise.all([page.waitForURL(`${base}/evaluation`), page.click('a[href="/evaluation"]')]);
    await page.selectOption('#agg', 'mean');
    await page.fill('#psize', '3');
    await Promise.all([page.waitForURL(/\/evaluation\?done=evaluation-saved/), page.click('#f-plan button')]);
    await page.fill('#pn', '第一评审组');
    await page.fill('#pf', '综合');
    await Promise.all([page.waitForURL(/done=evaluation-saved/), page.click('#f-panel button')]);
    await page.check(`input[name=applications][value="${id}"]`);
    await Promise.all([page.waitForURL(/done=evaluation-saved/), page.click('form[action$="/applications"] button')]);
    await Promise.all([page.waitForURL(/done=evaluation-saved/), page.click('form[action$="/draws"] button')]);
    await logout();
  });

  await step('the supervision group gives its value, and the Office draws the panel and opens the material review', async () => {
    await login('supervisor', 'qaward-demo');
    await page.goto(`${base}/evaluation`);
    await page.fill('input[name=value]', '现场摇号 0371');
    await Promise.all([page.waitForURL(/done=evaluation-saved/), page.click('form[action$="/contribution"] button')]);
    await logout();
    await login('office', 'qaward-demo');
    await page.goto(`${base}/evaluation`);
    await Promise.all([page.waitForURL(/done=evaluation-saved/), page.click('form[action$="/draw"] button')]);
    for (const name of ['赵质量', '钱卓越', '孙标准']) expectText(await page.content(), name);
    await Promise.all([page.waitForURL(/done=evaluation-saved/), page.click('form[action$="/leader"] button')]);
    await Promise.all([page.waitForURL(/done=evaluation-saved/), page.click('form[action="/evaluation/stages/material/open"] button')]);
    await logout();
  });

  await step('an expert scores every item on the score sheet and submits it, sealed', async () => {
    await login('expert1', 'qaward-demo');
    await Promise.all([page.waitForURL(`${base}/evaluation/tasks`), page.click('a[href="/evaluation/tasks"]')]);
    await Promise.all([page.waitForLoadState(), page.click('a[href$="/material"]')]);
    sheetUrl = new URL(page.url()).pathname;
    for (const select of await page.$$('select[name$="[percent]"]')) await select.selectOption('60');
    for (const area of await page.$$('textarea[name$="[finding]"]')) await area.fill('材料翔实，有数据支撑。');
    await Promise.all([page.waitForURL(/done=sheet-submitted/), page.click('button[name=submit][value=true]')]);
    expectText(await page.content(), '已提交评分表，评分已封存');
    expectText(await page.content(), '修改分数');
    await logout();
  });

  await step('the other experts score; the Office schedules the visit and the defense, and every stage is completed', async () => {
    const id = applicationUrl.split('/').pop();
    const score = async (who, stage) => {
      await login(who, 'qaward-demo');
      await page.goto(`${base}/evaluation/sheets/${id}/${stage}`);
      for (const select of await page.$$('select[name$="[percent]"]')) await select.selectOption('80');
      for (const area of await page.$$('textarea[name$="[finding]"]')) await area.fill('证据充分，成效显著。');
      await Promise.all([page.waitForURL(/done=sheet-submitted/), page.click('button[name=submit][value=true]')]);
      await logout();
    };
    const office = async (fn) => {
      await login('office', 'qaward-demo');
      await page.goto(`${base}/evaluation`);
      await fn();
      await logout();
    };
    const act = (action) => Promise.all([page.waitForURL(/done=evaluation-saved/), page.click(`form[action="${action}"] button`)]);
    for (const who of ['expert2', 'expert3']) await score(who, 'material');
    await office(async () => {
      await act('/evaluation/stages/material/complete');
      await act('/evaluation/stages/on-site/open');
      for (const stage of ['on-site', 'defense']) {
        await page.click(`details:has(form[action$="/sessions/${stage}"]) > summary`);
        await page.fill(`#sd-${id}-${stage}`, '2026-12-10');
        await page.fill(`#sp-${id}-${stage}`, '申报单位会议室');
        await Promise.all([page.waitForURL(/done=evaluation-saved/), page.click(`form[action$="/sessions/${stage}"] button`)]);
      }
    });
    for (const who of ['expert1', 'expert2', 'expert3']) await score(who, 'on-site');
    await office(async () => {
      await act('/evaluation/stages/on-site/complete');
      await act('/evaluation/stages/defense/open');
    });
    for (const who of ['expert1', 'expert2', 'expert3']) await score(who, 'defense');
    await office(async () => {
      await act('/evaluation/stages/defense/complete');
      await page.check(`#f-complete input[name=applications][value="${id}"]`);
      await Promise.all([page.waitForURL(/done=evaluation-saved/), page.click('#f-complete button')]);
      expectText(await page.content(), '评审完成');
    });
  });

  await step('the Office proposes it as a candidate for the Award and publishes the candidates\' notice in its county', async () => {
    await login('office', 'qaward-demo');
    await Promise.all([page.waitForURL(`${base}/commendation`), page.click('a[href="/commendation"]')]);
    expectText(await page.content(), '表彰工作台');
    await Promise.all([page.waitForURL(/done=commendation-saved/), page.click('#f-candidates button')]);
    await page.fill('#cn-start', '2026-12-09');
    await page.fill('#cn-contact', '0350-3036666');
    await Promise.all([page.waitForURL(/done=commendation-saved/), page.click('#f-candidate-notices button')]);
    expectText(await page.content(), '候选名单公示');
    await logout();
  });

  await step('the county asks public security about the candidate, which answers', async () => {
    await login('county-reviewer', 'qaward-demo');
    await Promise.all([page.waitForURL(`${base}/commendation/background`), page.click('a[href="/commendation/background"]')]);
    expectText(await page.content(), '忻州市浏览器测试有限公司');
    // Preselected by the candidate's kind (an enterprise: six departments); the journey
    // asks public security alone, whose account it can log in as.
    for (const box of await page.$$('main input[name=departments]:checked')) {
      if ((await box.getAttribute('value')) !== 'public-security') await box.uncheck();
    }
    await Promise.all([page.waitForURL(/done=opinions-requested/), page.click('main form button')]);
    await logout();
    await login('opinion-dept', 'qaward-demo');
    await page.goto(`${base}/opinions`);
    await Promise.all([page.waitForLoadState(), page.click('main section.card p a[href^="/opinions/"]')]);
    await page.check('input[name=adverse][value=false]');
    await page.fill('textarea[name=answer]', '经查，该单位及其法定代表人无违法犯罪记录。');
    await Promise.all([page.waitForLoadState(), page.click('form[action$="/answer"] button')]);
    await logout();
  });

  await step('after the notice, the Leading Group proposes it for the Award, and the proposed winners are published city-wide', async () => {
    server.kill('SIGTERM');
    await new Promise((done) => server.once('close', done));
    ({ server, base } = await startServer('2026-12-16'));
    await login('leading-group', 'qaward-demo');
    await page.goto(`${base}/commendation`);
    await page.fill('#meeting', '领导小组2026年第5次会议');
    await Promise.all([page.waitForURL(/done=commendation-saved/), page.click('#f-deliberation button')]);
    expectText(await page.content(), '领导小组2026年第5次会议');
    await logout();
    await login('office', 'qaward-demo');
    await page.goto(`${base}/commendation`);
    await page.fill('#pn-start', '2026-12-16');
    await page.fill('#pn-contact', '0350-3036666');
    await Promise.all([page.waitForURL(/done=commendation-saved/), page.click('#f-proposed-notice button')]);
    await logout();
  });

  await step('the Office files the joint report, the HR bureau co-signs, the Government decides', async () => {
    server.kill('SIGTERM');
    await new Promise((done) => server.once('close', done));
    ({ server, base } = await startServer('2026-12-23'));
    await login('office', 'qaward-demo');
    await page.goto(`${base}/commendation`);
    await page.fill('#r-number', '忻质奖办〔2026〕9号');
    await page.fill('#r-dated', '2026-12-23');
    await Promise.all([page.waitForURL(/done=commendation-saved/), page.click('#f-report button')]);
    await logout();
    await login('hr-bureau', 'qaward-demo');
    await page.goto(`${base}/commendation`);
    await Promise.all([page.waitForURL(/done=commendation-saved/), page.click('#f-cosign button')]);
    await logout();
    await login('government', 'qaward-demo');
    await page.goto(`${base}/commendation`);
    await page.fill('#d-number', '忻政发〔2026〕30号');
    await page.fill('#d-dated', '2026-12-23');
    await Promise.all([page.waitForURL(/done=commendation-saved/), page.click('#f-decision button')]);
    expectText(await page.content(), 'XZZLJ-2026-A');
    await logout();
  });

  await step('the certificate downloads as a PDF, and anyone can verify it', async () => {
    await login('office', 'qaward-demo');
    await page.goto(`${base}/commendation`);
    const pdfHref = await page.getAttribute('a[href^="/commendation/certificates/"]', 'href');
    const pdf = await page.request.get(`${base}${pdfHref}`);
    if (pdf.headers()['content-type'] !== 'application/pdf') throw new Error(`not a PDF: ${pdf.headers()['content-type']}`);
    if (!(await pdf.body()).subarray(0, 4).equals(Buffer.from('%PDF'))) throw new Error('not a PDF');
    const verify = await page.getAttribute('a[href^="/verify?code="]', 'href');
    verifyUrl = verify;
    await logout();
    await page.goto(`${base}${verify}`);
    const text = await page.content();
    for (const t of ['有效', '忻州市浏览器测试有限公司', '忻政发〔2026〕30号']) expectText(text, t);
    await page.goto(`${base}/verify?code=FORGED0000000000`);
    expectText(await page.content(), '查无此证');
    await page.goto(`${base}/honours`);
    expectText(await page.content(), '忻州市浏览器测试有限公司');
  });

  await step('anyone complains to the supervision group and follows it with the code; the group asks the Office, concludes and answers', async () => {
    const submitIn = (form) => Promise.all([page.waitForLoadState(), page.click(`${form} button[type="submit"]`)]);
    const followUp = async (code) => {
      await page.goto(`${base}/complaints/status`);
      await page.fill('#code', code);
      await submitIn('form[action="/complaints/status"]');
      return page.content();
    };
    await page.goto(`${base}/complaints`);
    await page.selectOption('#c-topic', 'honour-mark');
    await page.fill('#c-about', '忻州市浏览器测试有限公司');
    await page.fill('#c-content', '获奖后在产品包装上使用荣誉标识，未标明获奖年度。');
    await page.fill('#c-name', '王举报');
    await page.fill('#c-contact', '13900002222');
    await submitIn('#f-complaint');
    const code = (await page.textContent('p.mono strong')).trim();
    expectText(await followUp(code), '已收到，待受理');
    await login('supervisor', 'qaward-demo');
    await page.goto(`${base}/supervision/complaints`);
    const caseUrl = await page.getAttribute('main a[href^="/supervision/complaints/"]', 'href');
    complaintUrl = caseUrl;
    await page.goto(`${base}${caseUrl}`);
    await submitIn('#f-register');
    await page.fill('#o-text', '请提供该企业获奖证书的编号和获奖年度。');
    await submitIn('#f-ask-office');
    await logout();
    await login('office', 'qaward-demo');
    await page.goto(`${base}/supervision/requests`);
    const asked = await page.content();
    expectText(asked, '请提供该企业获奖证书的编号');
    for (const secret of ['王举报', '13900002222', '未标明获奖年度', code]) {
      if (asked.includes(secret)) throw new Error(`the Office's page shows ${secret}`);
    }
    await page.fill('textarea[id^="a-text-"]', '证书编号 XZZLJ-2026-A01，获奖年度 2026 年。');
    await submitIn('form[id^="f-answer-"]');
    await logout();
    await login('supervisor', 'qaward-demo');
    await page.goto(`${base}${caseUrl}`);
    expectText(await page.content(), '获奖年度 2026 年');
    await page.selectOption('#c-outcome', 'founded');
    await page.fill('#c-findings', '经核实，包装上的荣誉标识未标明获奖年度，已责令改正。');
    await submitIn('#f-conclude');
    await page.fill('#w-text', '经核实，您反映的问题属实，已责令该企业改正。');
    await submitIn('#f-answer');
    await logout();
    const answered = await followUp(code);
    for (const t of ['已答复', '已责令该企业改正']) expectText(answered, t);
  });

  await step('the Office asks the Government to revoke the award, the Government revokes it, and anyone reads the announcement', async () => {
    const submit = (form) => Promise.all([page.waitForLoadState(), page.click(`${form} button[type="submit"]`)]);
    await login('office', 'qaward-demo');
    await page.goto(`${base}/revocations`);
    await page.selectOption('#q-cause', 'mark-misuse');
    await page.fill('#q-finding', '获奖后在产品包装上违规使用荣誉标识，经责令仍未改正。');
    await page.fill('#q-evidence', '市场监管局现场检查笔录（2026年12月22日）');
    await submit('#f-request');
    await logout();
    await login('government', 'qaward-demo');
    await page.goto(`${base}/revocations`);
    await page.fill('input[id^="d-number-"]', '忻政发〔2026〕41号');
    await page.fill('input[id^="d-dated-"]', '2026-12-23');
    await submit('form[action$="/decision"]');
    await logout();
    await page.goto(`${base}/notices`);
    announcementUrl = await page.getAttribute('a[href^="/revocations/published/"]', 'href');
    await page.goto(`${base}${announcementUrl}`);
    const text = await page.content();
    for (const t of ['忻州市浏览器测试有限公司', '忻政发〔2026〕41号', '忻州市人民政府', '2026年12月23日']) expectText(text, t);
    if (text.includes('现场检查笔录')) throw new Error('the announcement shows the evidence');
    const doc = await page.request.get(`${base}${announcementUrl}/document.docx`);
    if (!(await doc.body()).subarray(0, 2).equals(Buffer.from('PK'))) throw new Error('the announcement is not a Word document');
    await page.goto(`${base}${verifyUrl}`);
    const verified = await page.content();
    expectText(verified, '已撤销');
    expectText(verified, announcementUrl);
  });

  for (const [name, viewport] of [['desktop', { width: 1280, height: 800 }], ['phone', { width: 390, height: 844 }]]) {
    // axe-core runs as a script in the page: this context allows scripts (and the test's
    // injected one past the pages' Content-Security-Policy). The pages have none of their own.
    const ctx = await browser.newContext({ viewport, bypassCSP: true });
    const p = await ctx.newPage();
    try {
      await step(`${name}: the public pages and the login page are accessible`, async () => {
        for (const path of ['/', '/notices', '/register', '/register/organization', '/register/person', '/objections/status', '/login', '/verify', '/honours', '/complaints', '/complaints/status', announcementUrl]) {
          await p.goto(`${base}${path}`);
          await accessible(p, path);
        }
        const notice = await p.goto(`${base}/notices`).then(() => p.$('main a[href^="/notices/"]'));
        if (notice) {
          await Promise.all([p.waitForLoadState(), notice.click()]);
          await accessible(p, p.url());
        }
      });

      await step(`${name}: the application page is accessible, as the applicant drafts it`, async () => {
        await login('applicant-org', 'qaward-demo', p);
        await Promise.all([p.waitForLoadState(), p.click('a[href="/applications/mine"]')]);
        const start = await p.$('form[action="/applications/start"] button');
        if (start) await Promise.all([p.waitForURL(/\/applications\/\d+\?done=started$/), start.click()]);
        await accessible(p, 'the draft application');
        await logout(p);
      });

      await step(`${name}: the Office's pages are accessible`, async () => {
        await login('office', 'qaward-demo', p);
        for (const path of ['/', '/office', '/cycles', '/registrations', '/notifications', applicationUrl, `${applicationUrl}/letter`, '/evaluation', '/experts', `${applicationUrl}/evaluation`, '/commendation', '/supervision/requests', '/revocations', '/revocations/published', '/obligations', '/policies', '/calendar']) {
          await p.goto(`${base}${path}`);
          await accessible(p, path);
        }
        // A successor's file previewed (nothing loaded): the table of what it changes.
        const successor = readFileSync(new URL('../crates/qaward-domain/tests/data/hypothetical-2027.toml', import.meta.url), 'utf8');
        await p.goto(`${base}/policies`);
        await p.fill('#p-source', successor);
        await Promise.all([p.waitForURL(`${base}/policies/preview`), p.click('#f-preview button[type=submit]')]);
        if (!(await p.textContent('#preview')).includes('市长质量奖名额')) throw new Error('the preview lists no change of the quota');
        await accessible(p, 'the preview of a successor');
        await logout(p);
      });

      await step(`${name}: the administrator previews a year of the calendar`, async () => {
        await login('admin', 'qaward-demo', p);
        const year = readFileSync(new URL('../crates/qaward-domain/tests/data/calendar-2027-fictional.toml', import.meta.url), 'utf8');
        await p.goto(`${base}/calendar`);
        await accessible(p, 'the calendar');
        await p.fill('#c-text', year);
        await Promise.all([p.waitForURL(`${base}/calendar/preview`), p.click('#f-preview button[type=submit]')]);
        if (!(await p.textContent('#preview')).includes('2027')) throw new Error('the preview does not show the year');
        await accessible(p, 'the preview of a year');
        await logout(p);
      });

      await step(`${name}: the reviewer's and the supervisor's buttons can be seen`, async () => {
        for (const [who, paths] of [['county-reviewer', ['/notifications', '/queue', '/commendation/background']], ['supervisor', ['/audit', '/interests', '/evaluation', '/experts', '/supervision/complaints', complaintUrl]], ['expert1', ['/evaluation/tasks', sheetUrl]]]) {
          await login(who, 'qaward-demo', p);
          for (const path of paths) {
            await p.goto(`${base}${path}`);
            await accessible(p, `${who} ${path}`);
          }
          await logout(p);
        }
      });
    } finally {
      await ctx.close();
    }
  }
} catch (e) {
  await page.screenshot({ path: join(data, 'failure.png'), fullPage: true }).catch(() => {});
  console.log(`screenshot of the failure: ${join(data, 'failure.png')}`);
} finally {
  await browser.close();
  server.kill('SIGTERM');
}

console.log(`e2e: ${passed} passed, ${failures.length} failed`);
if (failures.length === 0) rmSync(data, { recursive: true, force: true });
process.exit(failures.length === 0 ? 0 : 1);
