// The applicant's journey in a real browser (Debian's headless Chromium, driven by
// playwright-core): register an organization, draft the application, record the in-unit
// notice and attach the photo of it posted; the county reviewer confirms the
// registration against the business licence; the organization submits to the county;
// then the county reviewer passes it. No JavaScript runs in the pages: everything is
// forms and links.
//
// Usage: node e2e/journey.mjs [path/to/qaward]   (default target/debug/qaward)

import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

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

async function login(username, password) {
  await page.goto(`${base}/login`);
  await page.fill('#username', username);
  await page.fill('#password', password);
  await Promise.all([page.waitForURL(`${base}/`), page.click('button[type=submit]')]);
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

try {
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
    await Promise.all([page.waitForURL(/\/applications\/\d+$/), page.click('text=开始填写申报书')]);
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
    await Promise.all([page.waitForURL(`${base}/registrations`), page.click('form[action$="/confirm"] button')]);
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
    await Promise.all([page.waitForURL(`${base}/queue`), page.click('form[action$="/review"] button')]);
    expectText(await page.content(), '目前没有待办的申报');
  });
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
