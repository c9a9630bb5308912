#!/usr/bin/env bash
# Builds the till's macOS disk image with the JDK's jpackage (JDK 17), into target/installer/: Counterpoint-VERSION.dmg
# holding Counterpoint.app (docs/decisions/0073-till-and-head-office-packaged-apart.md). From target/counterpoint.jar and
# target/lib-till/ (no head-office libraries), with installer/java-options as the launcher's JVM options.
#
#   mvn -B -q package -DskipTests && installer/macos/package.sh
#
# Build it on macOS: Maven picks JavaFX's jars for the operating system (and processor) it runs on, and the icon is
# made with sips and iconutil. Unsigned unless MAC_SIGNING_KEY_USER_NAME names a Developer ID certificate in the
# keychain (then --mac-sign). The commands run from a terminal as
# /Applications/Counterpoint.app/Contents/MacOS/Counterpoint --data-dir D lookup CODE. No AppCDS archive yet: the
# Linux package's is dumped by its postinst, which a disk image has no counterpart of.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
jar=$root/target/counterpoint.jar
for needed in "$jar" "$root/target/lib-till"; do
    [ -e "$needed" ] || { echo "package.sh: $needed not found; run mvn -B -q package -DskipTests first" >&2; exit 1; }
done
# jpackage wants a numeric version whose first number is not 0 on macOS: a 0.x build is packaged as 1.0.0 unless
# COUNTERPOINT_VERSION says otherwise.
version=${COUNTERPOINT_VERSION:-$(sed -n 's:^  <version>\([0-9.]*\).*</version>:\1:p' "$root/pom.xml" | head -1)}
case "$version" in 0.*|0) version=1.0.0 ;; esac

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/input" "$work/counterpoint.iconset"
cp "$jar" "$work/input/"
cp -R "$root/target/lib-till" "$work/input/lib"

for size in 16 32 128 256; do
    sips -z "$size" "$size" "$root/installer/linux/counterpoint.png" --out "$work/counterpoint.iconset/icon_${size}x${size}.png" >/dev/null
done
cp "$root/installer/linux/counterpoint.png" "$work/counterpoint.iconset/icon_128x128@2x.png"
iconutil -c icns "$work/counterpoint.iconset" -o "$work/counterpoint.icns"

options=()
for option in $(sed -e 's/#.*//' "$root/installer/java-options"); do
    options+=(--java-options "$option")
done
if [ -n "${MAC_SIGNING_KEY_USER_NAME:-}" ]; then
    options+=(--mac-sign --mac-signing-key-user-name "$MAC_SIGNING_KEY_USER_NAME")
fi

mkdir -p "$root/target/installer"
jpackage --type dmg --name Counterpoint --app-version "$version" --vendor Counterpoint \
    --description "Member terminal for the shop counter" --input "$work/input" --main-jar counterpoint.jar \
    --main-class dev.counterpoint.main.Main --icon "$work/counterpoint.icns" \
    --mac-package-identifier dev.counterpoint.till --mac-package-name Counterpoint "${options[@]}" \
    --dest "$root/target/installer"
ls -l "$root/target/installer"
