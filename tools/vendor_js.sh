#!/usr/bin/env bash
# Re-create book/_assets/vendor/ from the npm registry (exact versions in tools/vendor/package.json).
# The book must read offline, so MathJax, require.js and the ipywidgets HTML manager are served
# from the book itself instead of CDNs. Run this only to upgrade them; the output is committed.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
work=$(mktemp -d)
cp "$here/vendor/package.json" "$here/vendor/package-lock.json" "$work/" 2>/dev/null || cp "$here/vendor/package.json" "$work/"
(cd "$work" && npm ci --no-audit --no-fund --silent 2>/dev/null || npm install --no-audit --no-fund --silent)
out="$root/book/_assets/vendor"
rm -rf "$out" && mkdir -p "$out/mathjax" "$out/requirejs" "$out/html-manager" "$out/vega"
nm="$work/node_modules"
# MathJax 3: the combined TeX+MathML input / CommonHTML output bundle, its fonts and lazily loaded parts.
cp "$nm/mathjax/es5/tex-mml-chtml.js" "$out/mathjax/"
mkdir -p "$out/mathjax/output/chtml/fonts" "$out/mathjax/input/tex"
cp -r "$nm/mathjax/es5/output/chtml/fonts/woff-v2" "$out/mathjax/output/chtml/fonts/"
cp -r "$nm/mathjax/es5/input/tex/extensions" "$out/mathjax/input/tex/"
cp -r "$nm/mathjax/es5/a11y" "$nm/mathjax/es5/ui" "$out/mathjax/"
cp "$nm/mathjax/LICENSE" "$out/mathjax/"
# require.js (AMD loader used by the widget manager).
cp "$nm/requirejs/require.js" "$out/requirejs/"
cp "$nm/requirejs/README.md" "$out/requirejs/" 2>/dev/null || true
# @jupyter-widgets/html-manager: renders the stored widget state in static pages.
find "$nm/@jupyter-widgets/html-manager/dist" -maxdepth 1 -type f ! -name '*.map' ! -name 'embed.js*' \
  ! -name 'libembed-amd.js' -exec cp {} "$out/html-manager/" \;
cp "$nm/@jupyter-widgets/html-manager/LICENSE" "$out/html-manager/" 2>/dev/null || true
# Vega, Vega-Lite and vega-embed: draw the kernel-free book panels (widgets/panels/book.py), loaded
# only on pages that have one (book/_ext/panels.py). Source-map comments removed (no .map shipped).
for p in vega vega-lite vega-embed; do
  cp "$nm/$p/build/$p.min.js" "$out/vega/"
  sed -i 's|//# sourceMappingURL=.*$||' "$out/vega/$p.min.js"
  cp "$nm/$p/LICENSE" "$out/vega/LICENSE-$p"
done
for p in mathjax requirejs @jupyter-widgets/html-manager vega vega-lite vega-embed; do
  printf '%s %s\n' "$p" "$(node -p "require('$nm/$p/package.json').version")"
done > "$out/VERSIONS.txt"
rm -rf "$work"
echo "vendored into $out:"; cat "$out/VERSIONS.txt"; du -sh "$out"
