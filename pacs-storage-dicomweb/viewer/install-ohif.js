#!/usr/bin/env node
// Unpacks the OHIF viewer's built files (dist/ of the npm package @ohif/app, pinned by version and sha512 in
// package.json's "ohif" field) into ./ohif, the directory dicomweb.viewer points at. Run by `npm ci` here
// (postinstall); a no-op when ./ohif already holds that exact build.
//
// Why npm pack and not a dependency: @ohif/app's dependencies are the sources' build tooling (React, webpack
// loaders, cornerstone, ...: hundreds of packages) that the prebuilt dist/ does not need; npm pack fetches the
// one tarball through npm's cache and registry settings, and the integrity check pins its bytes as a lock
// file would.
'use strict';
const { execFileSync } = require('child_process');
const crypto = require('crypto');
const fs = require('fs');
const path = require('path');

const pin = require('./package.json').ohif;
const target = path.join(__dirname, 'ohif');
const marker = path.join(target, '.installed-from');
const wanted = `${pin.package}@${pin.version} ${pin.integrity}\n`;

function main() {
  for (const old of fs.readdirSync(__dirname).filter(n => n.startsWith('.ohif-tmp-'))) {
    fs.rmSync(path.join(__dirname, old), { recursive: true, force: true }); // left by an interrupted run
  }
  if (fs.existsSync(path.join(target, 'index.html')) && fs.existsSync(marker)
      && fs.readFileSync(marker, 'utf8') === wanted) {
    console.log(`OHIF viewer ${pin.version} already in ${target}`);
    return;
  }
  const tmp = fs.mkdtempSync(path.join(__dirname, '.ohif-tmp-'));
  try {
    const out = execFileSync('npm', ['pack', `${pin.package}@${pin.version}`, '--pack-destination', tmp, '--json',
      '--silent'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
    const file = path.join(tmp, JSON.parse(out)[0].filename);
    const actual = 'sha512-' + crypto.createHash('sha512').update(fs.readFileSync(file)).digest('base64');
    if (actual !== pin.integrity) {
      throw new Error(`${pin.package}@${pin.version} has integrity ${actual}, not the pinned ${pin.integrity};`
        + ' refusing it (check package.json\'s "ohif" pin)');
    }
    // GNU tar refuses members with '..' or absolute names; only package/dist/ is taken.
    execFileSync('tar', ['-xzf', file, '-C', tmp, '--no-same-owner', 'package/dist'], { stdio: 'inherit' });
    const dist = path.join(tmp, 'package', 'dist');
    if (!fs.existsSync(path.join(dist, 'index.html'))) {
      throw new Error(`${pin.package}@${pin.version} has no dist/index.html: not a built viewer`);
    }
    fs.writeFileSync(path.join(dist, '.installed-from'), wanted);
    // Swap in whole: a server never sees a half-unpacked viewer.
    if (fs.existsSync(target)) {
      fs.renameSync(target, path.join(tmp, 'previous'));
    }
    fs.renameSync(dist, target);
    console.log(`OHIF viewer ${pin.version} installed in ${target}`);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

try {
  main();
} catch (e) {
  console.error(`Installing the OHIF viewer failed: ${e.message}`);
  process.exit(1);
}
