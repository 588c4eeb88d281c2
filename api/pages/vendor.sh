#!/usr/bin/env bash
# Refresh the vendored browser assets in static/vendor/ from the npm registry (pinned versions;
# record a version change in static/vendor/NOTICE.md). Needs npm; run by hand, not by `make`.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)/static/vendor"
tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
npm pack --silent @zazuko/yasgui@4.6.2 swagger-ui-dist@5.35.0 redoc@2.5.4 cytoscape@3.35.0 >/dev/null
for f in *.tgz; do mkdir "${f%.tgz}"; tar xzf "$f" -C "${f%.tgz}"; done
cp zazuko-yasgui-4.6.2/package/build/yasgui.min.{js,css} "$here/yasgui/"
cp swagger-ui-dist-5.35.0/package/{swagger-ui-bundle.js,swagger-ui.css,LICENSE,NOTICE,swagger-ui-bundle.js.LICENSE.txt} "$here/swagger-ui/"
cp redoc-2.5.4/package/bundles/redoc.standalone.js{,.LICENSE.txt} redoc-2.5.4/package/LICENSE "$here/redoc/"
cp cytoscape-3.35.0/package/dist/cytoscape.min.js cytoscape-3.35.0/package/LICENSE "$here/cytoscape/"
echo "vendored assets refreshed in $here"
