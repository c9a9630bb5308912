#!/bin/sh
# Builds the Linux package of the terminal with the JDK's jpackage, from target/counterpoint.jar and target/lib/.
# The JVM options are installer/java-options, one --java-options per option, so the package runs with what
# StartupMemoryBenchmark measures (docs/decisions/0027-terminal-jvm-options-and-cds.md).
#
#   mvn -B -q package -DskipTests && installer/linux/package.sh [deb|rpm|app-image]     (default: deb)
#
# The package goes to target/installer/. Not yet in it: the AppCDS archive (see the decision record: the native
# launcher cannot dump one per user, and JDK 17 refuses an archive dumped where the jars were not installed).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
type=${1:-deb}
jar=$root/target/counterpoint.jar
[ -f "$jar" ] || { echo "package.sh: $jar not found; run mvn -B -q package -DskipTests first" >&2; exit 1; }

input=$(mktemp -d)
trap 'rm -rf "$input"' EXIT
cp "$jar" "$input/"
cp -r "$root/target/lib" "$input/lib"

# installer/java-options without its comments, each option as its own --java-options.
set --
for option in $(sed -e 's/#.*//' "$root/installer/java-options"); do
    set -- "$@" --java-options "$option"
done
if [ "$type" != app-image ]; then
    set -- "$@" --linux-package-deps "libgtk-3-0, fonts-noto-cjk | fonts-wqy-zenhei" --linux-shortcut \
        --linux-menu-group Office
fi

jpackage --type "$type" --name counterpoint --app-version "${COUNTERPOINT_VERSION:-0.1}" \
    --vendor Counterpoint --description "Member terminal for the shop counter" \
    --input "$input" --main-jar counterpoint.jar --main-class dev.counterpoint.app.Main \
    --dest "$root/target/installer" "$@"
ls -l "$root/target/installer"
