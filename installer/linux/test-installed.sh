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

# START_RUNS=N (0 by default, as in CI): N starts of the installed till against N starts of a bare JavaFX window run
# the same way (the launcher's JVM options, the package's jars; the machine's Java 17, as the package's runtime has no
# java command), each timed from the command to its window mapped on the display; medians in ms (docs/benchmarks.md).
runs=${START_RUNS:-0}
if [ "$runs" -gt 0 ]; then
    step "start-up: $runs starts of the till and of a bare JavaFX window"
    cfg=/opt/counterpoint/lib/app/counterpoint.cfg
    app=/opt/counterpoint/lib/app
    mapfile -t jvm < <(sed -n 's/^java-options=//p' "$cfg" | sed "s|\$APPDIR|$app|g")
    bare_jvm=()
    for option in "${jvm[@]}"; do
        # The till's archive was dumped from the till's own classes: a bare window cannot map it.
        [[ "$option" == -XX:SharedArchiveFile=* ]] || bare_jvm+=("$option")
    done
    mkdir -p "$tmp/bare"
    cat >"$tmp/bare/BareWindow.java" <<'JAVA'
public final class BareWindow {
    public static void main(String[] args) {
        javafx.application.Application.launch(Shown.class, args);
    }

    public static final class Shown extends javafx.application.Application {
        @Override
        public void start(javafx.stage.Stage stage) {
            stage.setTitle("Bare window");
            stage.setScene(new javafx.scene.Scene(new javafx.scene.control.Label("bare"), 1024, 640));
            stage.show();
        }
    }
}
JAVA
    javac -cp "$app/lib/*" -d "$tmp/bare" "$tmp/bare/BareWindow.java" || fail "compiling the bare window"
    # Milliseconds from starting "$@" to a visible window named $title; the process is stopped after.
    time_to_window() {
        local title=$1
        shift
        local t0 pid
        t0=$(date +%s%N)
        "$@" >/dev/null 2>&1 &
        pid=$!
        while ! xdotool search --onlyvisible --name "$title" >/dev/null 2>&1; do
            kill -0 "$pid" 2>/dev/null || { echo "exited"; return; }
            [ $(( $(date +%s%N) - t0 )) -lt 120000000000 ] || { kill "$pid"; echo "timeout"; return; }
            sleep 0.02
        done
        echo $(( ($(date +%s%N) - t0) / 1000000 ))
        kill "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    }
    median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : int((v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }
    till=()
    bare=()
    for i in $(seq 1 "$runs"); do
        till+=("$(time_to_window '^Counterpoint counter' counterpoint --data-dir "$store" --lang en terminal)")
        bare+=("$(time_to_window '^Bare window' java "${bare_jvm[@]}" -cp "$app/lib/*:$tmp/bare" BareWindow)")
    done
    echo "start-up, ms to the window: till ${till[*]} · bare JavaFX window ${bare[*]}"
    echo "start-up medians: till $(printf '%s\n' "${till[@]}" | median) ms · bare JavaFX window $(printf '%s\n' "${bare[@]}" | median) ms (load $(cut -d' ' -f1-3 /proc/loadavg))"
fi

step "removing the package"
"${as_root[@]}" dpkg -r counterpoint || fail "dpkg -r counterpoint"
[ ! -e /usr/bin/counterpoint ] || fail "/usr/bin/counterpoint is left after dpkg -r"
[ ! -e /opt/counterpoint ] || fail "/opt/counterpoint is left after dpkg -r: $(find /opt/counterpoint | head)"
[ ! -e "$desktop" ] || fail "$desktop is left after dpkg -r"
"${as_root[@]}" dpkg --purge counterpoint >/dev/null || fail "dpkg --purge counterpoint"
step "passed"
