// Copies the minified builds from node_modules into renda/static/vendor/, where they are committed.
//
// Pages must work on an intranet with no internet, so nothing is loaded from a CDN. Each file's
// source map is copied too when the package ships one: whitenoise's CompressedManifestStaticFilesStorage
// follows every sourceMappingURL comment and collectstatic fails on a missing .map file.
// Run from frontend/: `npm ci && npm run vendor` (see docs/frontend.md).

import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const modules = join(here, "node_modules");
const vendor = resolve(here, "..", "renda", "static", "vendor");

// target folder -> [package, files inside the package]
const ASSETS = {
  bootstrap: [
    "bootstrap",
    ["dist/css/bootstrap.min.css", "dist/js/bootstrap.bundle.min.js", "LICENSE"],
  ],
  htmx: ["htmx.org", ["dist/htmx.min.js", "LICENSE"]],
  echarts: ["echarts", ["dist/echarts.min.js", "LICENSE", "NOTICE"]],
  axe: ["axe-core", ["axe.min.js", "LICENSE"]],
};

const MAP_COMMENT = /[#@] sourceMappingURL=(\S+?)(?:\s*\*\/)?\s*$/m;

function packageVersion(name) {
  return JSON.parse(readFileSync(join(modules, name, "package.json"), "utf8")).version;
}

function copyAsset(pkg, relative, targetDir) {
  const source = join(modules, pkg, relative);
  if (!existsSync(source)) {
    throw new Error(`${pkg}/${relative} is missing: run \`npm ci\` in frontend/ first`);
  }
  const target = join(targetDir, basename(relative));
  copyFileSync(source, target);
  const copied = [basename(relative)];
  if (!/\.(js|css)$/.test(relative)) return copied;

  const match = readFileSync(source, "utf8").match(MAP_COMMENT);
  if (!match) return copied;
  const mapSource = join(dirname(source), match[1]);
  if (existsSync(mapSource)) {
    copyFileSync(mapSource, join(targetDir, basename(match[1])));
    copied.push(basename(match[1]));
  } else {
    // A reference to a map the package does not ship would break collectstatic: drop the comment.
    const text = readFileSync(source, "utf8").replace(MAP_COMMENT, "");
    writeFileSync(target, text);
  }
  return copied;
}

const versions = {};
for (const [folder, [pkg, files]] of Object.entries(ASSETS)) {
  const targetDir = join(vendor, folder);
  rmSync(targetDir, { recursive: true, force: true });
  mkdirSync(targetDir, { recursive: true });
  const copied = files.flatMap((file) => copyAsset(pkg, file, targetDir));
  versions[folder] = { package: pkg, version: packageVersion(pkg), files: copied.sort() };
  console.log(`${folder}: ${pkg}@${versions[folder].version} -> ${copied.join(", ")}`);
}
// Read by e2e/test_assets.py to check the committed copies match package-lock.json.
writeFileSync(join(vendor, "versions.json"), JSON.stringify(versions, null, 2) + "\n");
