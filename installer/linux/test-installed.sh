#!/usr/bin/env bash
# The till's .deb tested as a store installs it (docs/decisions/0073-till-and-head-office-packaged-apart.md): builds it
# (installer/linux/package.sh deb), installs it with dpkg, then through the installed `counterpoint` command alone
# makes a demo store, looks a member up, starts the counter window under Xvfb and sees it, and removes the package.
# Exits non-zero, saying which step failed, on any failure. Run as root (or with sudo) on Debian/Ubuntu, with
# xvfb, xdotool and fakeroot installed; .ci/run runs it after `mvn -B verify`.
#
#   installer/linux/test-installed.sh
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
started=$(date +%s)

step() { echo "test-installed [$(($(date +%s) - started))s]: $*"; }
fail() { echo "test-installed: FAILED: $*" >&2; exit 1; }

as_root=()
if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || fail "installing a package needs root (or sudo)"
    as_root=(sudo)
fi
for tool in dpkg Xvfb xdotool fakeroot jpackage; do
    command -v "$tool" >/dev/null || fail "$tool is not installed (apt-get install xvfb xdotool fakeroot; JDK 17)"
done
installed() { [ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null)" = "install ok installed" ]; }
if installed counterpoint; then
    fail "the package counterpoint is installed already; this test installs and removes its own (dpkg -r counterpoint)"
fi

tmp=$(mktemp -d)
chmod 755 "$tmp"
terminal_pid=
xvfb_pid=
cleanup() {
    [ -n "$terminal_pid" ] && kill "$terminal_pid" 2>/dev/null || true
    [ -n "$xvfb_pid" ] && kill "$xvfb_pid" 2>/dev/null || true
    if dpkg-query -W counterpoint >/dev/null 2>&1; then
        "${as_root[@]}" dpkg --purge counterpoint >/dev/null || true
    fi
    rm -rf "$tmp"
}
trap cleanup EXIT

cd "$root"
if [ ! -f target/counterpoint.jar ] || [ ! -d target/lib-till ]; then
    step "building the jar"
    mvn -B -q package -DskipTests || fail "mvn package"
fi
step "building the .deb"
installer/linux/package.sh deb >"$tmp/package.log" 2>&1 || { cat "$tmp/package.log" >&2; fail "package.sh deb"; }
deb=$(ls -t target/installer/counterpoint_*.deb | head -1)
[ -f "$deb" ] || fail "no target/installer/counterpoint_*.deb"
if dpkg-deb -c "$deb" | grep -E -i 'javalin|jetty|postgresql|jte-runtime|bcprov|fastexcel|kotlin'; then
    fail "the till's package carries head office's libraries (above)"
fi

step "installing $deb"
if ! "${as_root[@]}" dpkg -i "$deb"; then
    "${as_root[@]}" apt-get install -f -y -q || fail "dpkg -i and apt-get install -f"
fi
installed counterpoint || fail "counterpoint is not installed"
depends=$(dpkg -s counterpoint | sed -n 's/^Depends: //p')
for dep in libgtk-3-0 fonts-noto-cjk; do
    [[ "$depends" == *"$dep"* ]] || fail "the package does not depend on $dep: $depends"
done
[ "$(command -v counterpoint)" = /usr/bin/counterpoint ] || fail "no counterpoint command on the PATH"
desktop=/usr/share/applications/counterpoint.desktop
grep -q '^Exec=/opt/counterpoint/bin/counterpoint' "$desktop" || fail "no desktop entry $desktop starting the till"
icon=$(sed -n 's/^Icon=//p' "$desktop")
[ -s "/usr/share/icons/hicolor/256x256/apps/$icon.png" ] || fail "the desktop entry's icon '$icon' is not in the icon theme"
[ -s /opt/counterpoint/lib/app/counterpoint.jsa ] || fail "the postinst made no class-data archive"

step "counterpoint --version"
version=$(counterpoint --version) || fail "counterpoint --version"
echo "$version"
[[ "$version" == "Counterpoint "* ]] || fail "--version printed: $version"
# -Xshare:on makes a JVM that cannot map the archive stop instead of running without it.
JAVA_TOOL_OPTIONS=-Xshare:on counterpoint --version >/dev/null 2>&1 \
    || fail "the JVM refuses the class-data archive the postinst made"

# A headless till: the data key goes to a key folder, not a desktop session's key store.
export COUNTERPOINT_KEY_DIR=$tmp/keys
store=$tmp/store
step "counterpoint demo-data"
counterpoint --data-dir "$store" demo-data >"$tmp/demo.log" 2>&1 || { cat "$tmp/demo.log" >&2; fail "demo-data"; }
step "counterpoint lookup 2900000000018"
member=$(counterpoint --data-dir "$store" --lang en lookup 2900000000018) || fail "lookup exited $?"
echo "$member" | head -3
[[ "$member" == *"林雨桐"*"2900000000018"* ]] || fail "lookup did not show the demo member 林雨桐"
set +e
office=$(counterpoint --data-dir "$tmp/office" office 2>&1)
office_exit=$?
set -e
[ "$office_exit" -eq 2 ] && [[ "$office" == *"installed separately"* ]] \
    || fail "counterpoint office (exit $office_exit) did not say head office is installed separately: $office"

step "the counter window under Xvfb"
display=:$((90 + RANDOM % 400))
Xvfb "$display" -screen 0 1280x1024x24 -nolisten tcp >"$tmp/xvfb.log" 2>&1 &
xvfb_pid=$!
export DISPLAY=$display
sleep 1
kill -0 "$xvfb_pid" 2>/dev/null || { cat "$tmp/xvfb.log" >&2; fail "Xvfb did not start on $display"; }
counterpoint --data-dir "$store" --lang en terminal >"$tmp/terminal.log" 2>&1 &
terminal_pid=$!
# The stage's title (counter.title); GTK's own leader window is named after the program and is never shown.
window=$(timeout 120 xdotool search --sync --onlyvisible --name '^Counterpoint counter' | head -1) || true
if [ -z "$window" ]; then
    cat "$tmp/terminal.log" >&2
    fail "no window titled 'Counterpoint counter' within 120 s"
fi
echo "window $window: $(xdotool getwindowname "$window")"
for _ in $(seq 1 60); do
    grep -q "ready to scan" "$store/logs/counterpoint.log" && break
    kill -0 "$terminal_pid" 2>/dev/null || { cat "$tmp/terminal.log" >&2; fail "the terminal exited"; }
    sleep 1
done
grep -q "ready to scan" "$store/logs/counterpoint.log" || fail "the terminal did not get ready to scan"
kill "$terminal_pid"
wait "$terminal_pid" 2>/dev/null || true
terminal_pid=

step "removing the package"
"${as_root[@]}" dpkg -r counterpoint || fail "dpkg -r counterpoint"
[ ! -e /usr/bin/counterpoint ] || fail "/usr/bin/counterpoint is left after dpkg -r"
[ ! -e /opt/counterpoint ] || fail "/opt/counterpoint is left after dpkg -r: $(find /opt/counterpoint | head)"
[ ! -e "$desktop" ] || fail "$desktop is left after dpkg -r"
"${as_root[@]}" dpkg --purge counterpoint >/dev/null || fail "dpkg --purge counterpoint"
step "passed"
