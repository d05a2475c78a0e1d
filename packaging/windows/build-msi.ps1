<#
.SYNOPSIS
  Builds the Praxisdesk MSI on Windows with WiX Toolset v3 (heat, candle, light).

.EXAMPLE
  $v = python packaging/version.py
  ./packaging/windows/build-msi.ps1 -Version $v -Payload dist\praxisdesk `
      -Out dist\praxisdesk-$v-windows-x64.msi

  Payload is PyInstaller's one-folder bundle (praxisdesk.exe, praxisdesk-server.exe, _internal).
  WiX v3 must be installed (the WIX environment variable points at it, as its installer sets;
  on GitHub's windows-latest: choco install wixtoolset --version 3.14.1). On Linux the same
  praxisdesk.wxs is built by build_msi_wixl.py.
#>
param(
    [Parameter(Mandatory = $true)][string]$Version,
    [Parameter(Mandatory = $true)][string]$Payload,
    [Parameter(Mandatory = $true)][string]$Out
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

# MSI compares only X.Y.Z when upgrading; anything else would break MajorUpgrade.
if ($Version -notmatch '^\d+\.\d+\.\d+$') {
    throw "Version '$Version' is not X.Y.Z (MSI ProductVersion needs three numeric fields)"
}

$Payload = (Resolve-Path $Payload).Path
if (-not (Test-Path (Join-Path $Payload 'praxisdesk.exe'))) {
    throw "Payload directory $Payload holds no praxisdesk.exe"
}

if ($env:WIX) {
    $wixBin = Join-Path $env:WIX 'bin'
} else {
    $wixBin = Split-Path -Parent (Get-Command candle.exe -ErrorAction Stop).Source
}
$heat = Join-Path $wixBin 'heat.exe'
$candle = Join-Path $wixBin 'candle.exe'
$light = Join-Path $wixBin 'light.exe'
foreach ($tool in @($heat, $candle, $light)) {
    if (-not (Test-Path $tool)) { throw "WiX v3 tool not found: $tool" }
}

$wxs = Join-Path $PSScriptRoot 'praxisdesk.wxs'
$work = Join-Path ([System.IO.Path]::GetTempPath()) ("praxisdesk-msi-" + [guid]::NewGuid())
New-Item -ItemType Directory -Path $work | Out-Null
$fragment = Join-Path $work 'payload.wxs'

function Invoke-Tool([string]$exe, [string[]]$arguments) {
    & $exe @arguments
    if ($LASTEXITCODE -ne 0) { throw "$(Split-Path -Leaf $exe) failed with exit code $LASTEXITCODE" }
}

try {
    # -srd: files go straight into INSTALLDIR; -ag: component GUIDs computed at link time
    # (stable per path); -sreg/-scom: no COM/registry harvesting from the binaries.
    Invoke-Tool $heat @('dir', $Payload, '-nologo', '-cg', 'PayloadFiles', '-dr', 'INSTALLDIR',
        '-srd', '-ag', '-sfrag', '-sreg', '-scom', '-var', 'var.PayloadDir', '-out', $fragment)

    # -arch x64: 64-bit package and components (the source names ProgramFiles64Folder).
    Invoke-Tool $candle @('-nologo', '-arch', 'x64', "-dVersion=$Version", "-dPayloadDir=$Payload",
        '-dWin64=yes', '-out', "$work\", $wxs, $fragment)

    $outDir = Split-Path -Parent ([System.IO.Path]::GetFullPath($Out))
    New-Item -ItemType Directory -Force -Path $outDir | Out-Null
    Invoke-Tool $light @('-nologo', '-out', $Out, (Join-Path $work 'praxisdesk.wixobj'),
        (Join-Path $work 'payload.wixobj'))
} finally {
    Remove-Item -Recurse -Force $work -ErrorAction SilentlyContinue
}

$size = [math]::Round((Get-Item $Out).Length / 1MB, 1)
Write-Host "$Out ($size MB)"
