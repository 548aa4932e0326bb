#!/usr/bin/env bash
# Copies the parts of reveal.js that the example deck (www/examples/) uses,
# from node_modules (the version pinned in package-lock.json), into
# DIST/examples/vendor/reveal/: the deck loads everything from its own origin,
# as COEP requires, never from a CDN. No plugins: the deck uses none.
#
# usage: tools/vendor-reveal.sh DIST
set -euo pipefail

if [ $# -ne 1 ]; then
  echo "usage: $0 DIST" >&2
  exit 2
fi
dist=$1
root=$(cd "$(dirname "$0")/.." && pwd)
src=$root/node_modules/reveal.js/dist
theme=white

if [ ! -f "$src/reveal.mjs" ]; then
  echo "$0: reveal.js is not installed in node_modules (run: make setup-npm)" >&2
  exit 1
fi
if [ ! -d "$dist/examples" ]; then
  echo "$0: $dist/examples does not exist (copy www/ into $dist first)" >&2
  exit 1
fi

out=$dist/examples/vendor/reveal
rm -rf "$out"
mkdir -p "$out/theme"
cp "$src/reveal.mjs" "$src/reveal.css" "$src/reset.css" "$out/"
cp "$src/theme/$theme.css" "$out/theme/"
cp "$root/node_modules/reveal.js/LICENSE" "$out/"

# The fonts the theme imports (and only those), from its own folder.
grep -o "url([^)]*)" "$src/theme/$theme.css" | sed -e 's/^url(//' -e 's/)$//' -e "s/^[\"']//" -e "s/[\"']$//" |
  while read -r ref; do
    case $ref in
      data:*) continue ;;
      http:* | https:* | //*)
        echo "$0: theme $theme loads $ref from another origin; the deck must not" >&2
        exit 1
        ;;
    esac
    file=${ref%%[?#]*}
    mkdir -p "$out/theme/$(dirname "$file")"
    cp "$src/theme/$file" "$out/theme/$file"
    # A font stylesheet imports its font files in turn.
    if [[ $file == *.css ]]; then
      dir=$(dirname "$file")
      grep -o "url([^)]*)" "$src/theme/$file" | sed -e 's/^url(//' -e 's/)$//' -e "s/^[\"']//" -e "s/[\"']$//" |
        while read -r font; do
          case $font in
            data:*) continue ;;
            http:* | https:* | //*)
              echo "$0: $file loads $font from another origin; the deck must not" >&2
              exit 1
              ;;
          esac
          font=${font%%[?#]*}
          mkdir -p "$out/theme/$dir/$(dirname "$font")"
          cp "$src/theme/$dir/$font" "$out/theme/$dir/$font"
        done
    fi
  done

# reveal.mjs must be one self-contained module: no imports of its own.
if grep -qE "^import |from ['\"]\\./" "$out/reveal.mjs"; then
  echo "$0: reveal.mjs imports other files; vendor them too" >&2
  exit 1
fi

echo "Vendored reveal.js $(node -p "require('$root/node_modules/reveal.js/package.json').version") into $out ($(du -sh "$out" | cut -f1))"
