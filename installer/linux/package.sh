#!/usr/bin/env bash
# Builds the Linux packages with the JDK's jpackage (JDK 17), into target/installer/
# (docs/decisions/0073-till-and-head-office-packaged-apart.md):
#
#   mvn -B -q package -DskipTests && installer/linux/package.sh [deb|office-deb|app-image]     (default: deb)
#
# deb         the till: counterpoint_VERSION-1_amd64.deb, from target/counterpoint.jar and target/lib-till/ (no head-office
#             libraries). Installs to /opt/counterpoint with the `counterpoint` command on the PATH, a desktop entry
#             and its icon; depends on GTK 3 and a CJK font. Runs with installer/java-options and an AppCDS archive:
#             the package carries the class list of a training start made here (the app image under xvfb-run, the
#             demo store, a member scanned), and its postinst dumps the archive from it on the till itself.
# office-deb  head office: counterpoint-office_VERSION-1_amd64.deb, from target/counterpoint.jar and target/lib/, to
#             /opt/counterpoint-office with `counterpoint-office` (the `office` command) on the PATH; headless.
# app-image   the till's app image alone (target/installer/image/counterpoint), with its class list.
#
# Needs: jpackage (JDK 17), and for the debs dpkg-deb and fakeroot; for the till's class list xvfb-run and xdotool.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
type=${1:-deb}
out=$root/target/installer
jar=$root/target/counterpoint.jar
# jpackage wants a numeric version: the pom's without -SNAPSHOT.
version=${COUNTERPOINT_VERSION:-$(sed -n 's:^  <version>\([0-9.]*\).*</version>:\1:p' "$root/pom.xml" | head -1)}

for needed in "$jar" "$root/target/lib" "$root/target/lib-till"; do
    [ -e "$needed" ] || { echo "package.sh: $needed not found; run mvn -B -q package -DskipTests first" >&2; exit 1; }
done
command -v jpackage >/dev/null || { echo "package.sh: jpackage (JDK 17) is not on the PATH" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$out"

common=(--app-version "$version" --vendor Counterpoint)

# The jar and the given library folder as jpackage's input (every jar in it goes on the launcher's class path).
stage() {
    rm -rf "$work/input"
    mkdir -p "$work/input"
    cp "$jar" "$work/input/"
    cp -r "$1" "$work/input/lib"
}

# The till's app image, with installer/java-options (one --java-options each) and the archive the postinst makes.
till_image() {
    stage "$root/target/lib-till"
    local options=()
    for option in $(sed -e 's/#.*//' "$root/installer/java-options"); do
        options+=(--java-options "$option")
    done
    # A missing or refused archive only costs speed; the JVM's notice of it is kept off the command line's output.
    options+=(--java-options '-XX:SharedArchiveFile=$APPDIR/counterpoint.jsa' --java-options -Xlog:cds=off
        --java-options -Xlog:cds+dynamic=off)
    rm -rf "$out/image"
    jpackage --type app-image --name counterpoint "${common[@]}" --description "Member terminal for the shop counter" \
        --input "$work/input" --main-jar counterpoint.jar --main-class dev.counterpoint.main.Main --icon "$here/counterpoint.png" "${options[@]}" --dest "$out/image"
}

# A training start of the image: the demo store's counter window under xvfb-run, one member scanned, then closed.
# The JVM lists every class it loaded (-XX:DumpLoadedClassList) into lib/app/counterpoint.classlist; the list names
# classes only, so it holds wherever the package is installed.
till_classlist() {
    local app=$out/image/counterpoint data=$work/training list=$out/image/counterpoint/lib/app/counterpoint.classlist
    command -v xvfb-run >/dev/null && command -v xdotool >/dev/null \
        || { echo "package.sh: the training start needs xvfb-run and xdotool (apt-get install xvfb xdotool)" >&2; exit 1; }
    mkdir -p "$data/keys"
    COUNTERPOINT_KEY_DIR=$data/keys JAVA_TOOL_OPTIONS="-XX:DumpLoadedClassList=$list" \
        xvfb-run -a -s "-screen 0 1280x1024x24" sh -c '
            "$1" --data-dir "$2/store" --lang en terminal --demo >"$2/out.log" 2>&1 &
            pid=$!
            window=$(timeout 180 xdotool search --sync --onlyvisible --name "^Counterpoint counter" | head -1) \
                || { kill $pid; exit 1; }
            for i in $(seq 1 120); do grep -q "ready to scan" "$2/store/logs/counterpoint.log" 2>/dev/null && break; sleep 1; done
            # Typed through XTEST into the focused window, as a keyboard-wedge scanner types.
            xdotool windowfocus --sync "$window"
            xdotool type --delay 20 2900000000049
            xdotool key Return
            sleep 5
            kill -TERM $pid
            wait $pid || true' training "$app/bin/counterpoint" "$data" \
        || { echo "package.sh: the training start failed:" >&2; cat "$data/out.log" >&2 || true; exit 1; }
    grep -q '^dev/counterpoint/app/CounterApp$' "$list" \
        || { echo "package.sh: the training start's class list lacks the counter window's classes" >&2; exit 1; }
    echo "class list: $(wc -l <"$list") classes"
}

till_deb() {
    till_image
    till_classlist
    jpackage --type deb --name counterpoint --app-image "$out/image/counterpoint" "${common[@]}" \
        --description "Member terminal for the shop counter" --icon "$here/counterpoint.png" --install-dir /opt \
        --resource-dir "$here/till" --linux-package-name counterpoint \
        --linux-package-deps "libgtk-3-0, fonts-noto-cjk | fonts-wqy-zenhei | fonts-wqy-microhei" \
        --linux-shortcut --linux-menu-group Office --linux-app-category misc --dest "$out"
}

office_deb() {
    stage "$root/target/lib"
    jpackage --type deb --name counterpoint-office "${common[@]}" --main-jar counterpoint.jar \
        --main-class dev.counterpoint.main.OfficeMain \
        --description "Head office of Counterpoint member terminals (server and console)" --input "$work/input" \
        --install-dir /opt --resource-dir "$here/office" --linux-package-name counterpoint-office \
        --linux-app-category misc --dest "$out"
}

case "$type" in
    deb) till_deb ;;
    office-deb) office_deb ;;
    app-image) till_image && till_classlist ;;
    *) echo "usage: package.sh [deb|office-deb|app-image]" >&2; exit 2 ;;
esac
ls -l "$out"
