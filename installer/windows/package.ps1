# Builds the till's Windows installer with the JDK's jpackage (JDK 17), into target\installer\: Counterpoint-VERSION.msi,
# installed per user (no administrator rights at the counter), with a folder chooser, a desktop shortcut and a Start
# menu entry (docs/decisions/0073-till-and-head-office-packaged-apart.md). From target\counterpoint.jar and
# target\lib-till\ (no head-office libraries), with installer\java-options as the launcher's JVM options.
#
#   mvn -B -q package -DskipTests; powershell -ExecutionPolicy Bypass -File installer\windows\package.ps1
#
# Build it on Windows: Maven picks JavaFX's jars for the operating system it runs on. Needs WiX Toolset 3 (candle.exe,
# light.exe) on the PATH, as jpackage 17 does. Two launchers: Counterpoint (the window, the shortcut's) and
# counterpoint-cli (a console one for the commands: counterpoint-cli --data-dir D lookup CODE). No AppCDS archive yet:
# the Linux package's is dumped by its postinst, which an MSI has no counterpart of here.
$ErrorActionPreference = 'Stop'
$here = $PSScriptRoot
$root = (Resolve-Path (Join-Path $here '..\..')).Path
$jar = Join-Path $root 'target\counterpoint.jar'
$lib = Join-Path $root 'target\lib-till'
foreach ($needed in @($jar, $lib)) {
    if (-not (Test-Path $needed)) { throw "$needed not found; run mvn -B -q package -DskipTests first" }
}
# jpackage wants a numeric version: the pom's without -SNAPSHOT.
$version = $env:COUNTERPOINT_VERSION
if (-not $version) {
    $version = ([xml](Get-Content (Join-Path $root 'pom.xml'))).project.version -replace '-.*$', ''
}

$work = Join-Path ([System.IO.Path]::GetTempPath()) ("counterpoint-" + [guid]::NewGuid())
$stage = Join-Path $work 'input'
New-Item -ItemType Directory -Force -Path $stage | Out-Null
try {
    Copy-Item $jar $stage
    Copy-Item $lib (Join-Path $stage 'lib') -Recurse

    # installer\java-options without its comments, each option as its own --java-options.
    $options = @()
    foreach ($line in Get-Content (Join-Path $root 'installer\java-options')) {
        $option = ($line -replace '#.*$', '').Trim()
        if ($option) { $options += @('--java-options', $option) }
    }
    $cli = Join-Path $work 'counterpoint-cli.properties'
    Set-Content -Path $cli -Value "win-console=true`nwin-shortcut=false`nwin-menu=false`n" -Encoding ASCII

    $out = Join-Path $root 'target\installer'
    New-Item -ItemType Directory -Force -Path $out | Out-Null
    & jpackage --type msi --name Counterpoint --app-version $version --vendor Counterpoint `
        --description 'Member terminal for the shop counter' --input $stage --main-jar counterpoint.jar `
        --main-class dev.counterpoint.main.Main --icon (Join-Path $here 'counterpoint.ico') @options `
        --add-launcher "counterpoint-cli=$cli" `
        --win-per-user-install --win-dir-chooser --win-shortcut --win-menu --win-menu-group Counterpoint `
        --win-upgrade-uuid 0b80fe6b-5da3-4db6-8189-3cfb4f6f60ce --dest $out
    if ($LASTEXITCODE -ne 0) { throw "jpackage failed ($LASTEXITCODE)" }
    Get-ChildItem $out -Filter *.msi
} finally {
    Remove-Item -Recurse -Force $work
}
