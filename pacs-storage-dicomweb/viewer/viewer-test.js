#!/usr/bin/env node
// Opens a study in the OHIF viewer in headless Chromium (the system's, through puppeteer-core: no browser
// download) and waits until the viewport's canvas shows an image, then saves a screenshot of that canvas.
// Usage: node viewer-test.js URL USER PASSWORD SCREENSHOT.png TIMEOUT_MS
// USER '' sends no credentials. Prints one JSON line: {"ok":..., "canvas":{...}, "requests":[...], ...}.
// The caller (ViewerBrowserTest) judges the screenshot; this script only reports what it saw.
'use strict';
const puppeteer = require('puppeteer-core');

const [url, user, password, screenshot, timeoutText] = process.argv.slice(2);
const timeout = Number(timeoutText || 45000);
const executablePath = process.env.CHROMIUM || '/usr/bin/chromium';

// Reads the on-screen canvas of the first cornerstone viewport (a 2D canvas the WebGL render is copied to)
// and counts the grey levels in its middle half, where the image lies and no overlay text is drawn.
function canvasStats() {
  const canvas = document.querySelector('canvas.cornerstone-canvas') || document.querySelector('.viewport-element canvas');
  if (!canvas || canvas.width < 32 || canvas.height < 32) {
    return null;
  }
  const box = canvas.getBoundingClientRect();
  const ctx = canvas.getContext('2d');
  if (!ctx) {
    return { width: canvas.width, height: canvas.height, levels: -1 };
  }
  const x0 = Math.floor(canvas.width / 4), y0 = Math.floor(canvas.height / 4);
  const data = ctx.getImageData(x0, y0, Math.floor(canvas.width / 2), Math.floor(canvas.height / 2)).data;
  const levels = new Set();
  for (let i = 0; i < data.length; i += 4) {
    levels.add(data[i] << 16 | data[i + 1] << 8 | data[i + 2]);
  }
  return { width: canvas.width, height: canvas.height, levels: levels.size,
    box: { x: box.x, y: box.y, width: box.width, height: box.height } };
}

async function main() {
  const result = { ok: false, requests: [], console: [] };
  const browser = await puppeteer.launch({
    executablePath,
    headless: true,
    // root in a container: no sandbox; no GPU here: WebGL through SwiftShader (software)
    args: ['--no-sandbox', '--disable-dev-shm-usage', '--use-angle=swiftshader', '--enable-unsafe-swiftshader',
      '--window-size=1280,900', '--no-first-run', '--no-default-browser-check'],
    defaultViewport: { width: 1280, height: 900 },
    protocolTimeout: timeout,
  });
  try {
    const page = await browser.newPage();
    if (user) {
      // answers the server's Basic challenge as a person typing into the browser's login dialog would;
      // the browser then sends the credentials with the viewer's same-origin QIDO/WADO requests
      await page.authenticate({ username: user, password });
    }
    page.on('response', r => {
      const u = r.url();
      if (u.includes('/dicom-web/') || r.status() >= 400) {
        result.requests.push({ status: r.status(), url: u.replace(/^https?:\/\/[^/]+/, '') });
      }
    });
    page.on('console', m => {
      if (m.type() === 'error' && result.console.length < 20) {
        result.console.push(m.text().slice(0, 300));
      }
    });
    page.on('pageerror', e => result.console.push('pageerror: ' + String(e).slice(0, 300)));
    const nav = await page.goto(url, { waitUntil: 'domcontentloaded', timeout });
    result.pageStatus = nav ? nav.status() : null;
    try {
      // polls the DOM until the canvas has drawn an image (many grey levels), bounded by the timeout
      const handle = await page.waitForFunction(`(${canvasStats.toString()})()?.levels > 32 ? (${canvasStats.toString()})() : null`,
        { polling: 250, timeout });
      result.canvas = await handle.jsonValue();
      const element = await page.$('canvas.cornerstone-canvas') || await page.$('.viewport-element canvas');
      await element.screenshot({ path: screenshot }); // Page.captureScreenshot clipped to the canvas's box
      result.ok = true;
    } catch (e) {
      result.error = String(e).slice(0, 300);
      result.canvas = await page.evaluate(canvasStats).catch(() => null);
      await page.screenshot({ path: screenshot }).catch(() => {}); // the whole page, to see why
    }
  } finally {
    await browser.close();
  }
  console.log(JSON.stringify(result));
}

main().catch(e => {
  console.log(JSON.stringify({ ok: false, error: String(e).slice(0, 500) }));
  process.exit(1);
});
