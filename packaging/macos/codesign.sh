#!/bin/sh
# codesign.sh BUNDLE: signs outpost.app for Developer ID distribution, inside out (frameworks
# and plugins, then outpost-server, then the bundle and its main program), each with the
# hardened runtime and a secure timestamp, as notarization requires. The identity comes from
# OUTPOST_CODESIGN_IDENTITY (a "Developer ID Application: ..." certificate in the keychain the
# installers workflow made). Run by packaging/macos/codesign.cmake; macOS only.
set -eu

bundle=$1
identity=${OUTPOST_CODESIGN_IDENTITY:?set OUTPOST_CODESIGN_IDENTITY}
here=$(cd "$(dirname "$0")" && pwd)
entitlements=$here/entitlements.plist

sign() {
    codesign --force --timestamp --options runtime --entitlements "$entitlements" \
        --sign "$identity" "$1"
}

# Libraries and plugins first: a bundle's signature covers the signatures inside it.
find "$bundle/Contents" -type f \( -name '*.dylib' -o -name '*.so' \) -print | while IFS= read -r library; do
    sign "$library"
done
if [ -d "$bundle/Contents/Frameworks" ]; then
    find "$bundle/Contents/Frameworks" -maxdepth 1 -type d -name '*.framework' -print \
        | while IFS= read -r framework; do
            sign "$framework"
        done
fi
if [ -f "$bundle/Contents/MacOS/outpost-server" ]; then
    sign "$bundle/Contents/MacOS/outpost-server"
fi
sign "$bundle"
codesign --verify --deep --strict --verbose=2 "$bundle"
