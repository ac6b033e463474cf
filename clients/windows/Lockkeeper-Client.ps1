#Requires -Version 5.1
#Requires -RunAsAdministrator

<#
.SYNOPSIS
    Lockkeeper client for Windows 2.0.0: escrows BitLocker recovery passwords, checks in, carries
    out what the server asks (rotate a disclosed recovery password, escrow a missing one) and
    reports recovery events from the BitLocker event logs.

.DESCRIPTION
    Install once, as Administrator:

        .\Lockkeeper-Client.ps1 -Install -Server https://lockkeeper.corp.example.com [-EnrollmentTokenFile PATH]

    The install creates C:\ProgramData\Lockkeeper (owner Administrators; SYSTEM and Administrators
    only, inheritance off) before anything is written into it, enrolls the computer with the
    enrollment token (read from the file, or asked for without echo; never taken from the command
    line), keeps the device credential it gets back protected with DPAPI (machine scope) in a file
    only SYSTEM and Administrators can read, copies this script into the folder and registers the
    scheduled task 'Lockkeeper client' (SYSTEM, at startup and every 4 hours).

    Each scheduled run, as SYSTEM, never asks anything:
      1. reads the BitLocker volumes (Win32_EncryptableVolume) and their protectors;
      2. escrows every recovery password the server has not confirmed yet   (POST /api/v1/escrow)
         (a locked volume's password cannot be read: it waits until the volume is unlocked);
      3. checks in with each volume, its protectors and a verifier of each
         recovery password                                                   (POST /api/v1/checkin)
      4. follows the answer's actions: 'escrow' sends that protector; 'rotate' adds a recovery
         password protector (or reuses the one an interrupted rotation left), escrows it, and
         removes the old protector only once the server confirmed the new one;
      5. checks in again when it changed anything;
      6. reports new recovery events                                         (POST /api/v1/events)
    Each volume and each step fails on its own: the failure is logged and the run goes on.
    Log: C:\ProgramData\Lockkeeper\lockkeeper.log (1 MB, 3 files kept) and, for warnings and
    errors, the Application event log (source 'Lockkeeper client').

    Remove everything the install made (the task, the folder with the credential, the event
    source):

        .\Lockkeeper-Client.ps1 -Uninstall

.PARAMETER Install
    Enroll this computer and register the scheduled task.
.PARAMETER Server
    The server's URL, https://... (http:// only with -AllowInsecureHttp).
.PARAMETER EnrollmentTokenFile
    A file holding the enrollment token (lke_...). Without it the install asks for the token.
.PARAMETER Proxy
    A proxy URL for every call, kept with the configuration (http://proxy.corp.example.com:8080).
.PARAMETER CertificateSha256
    Pin the server's certificate: the SHA-256 fingerprint of its certificate (64 hex digits,
    colons allowed), as 'lockkeeper serve --tls self-signed' prints it. With a pin, the certificate
    must match it; the usual chain check is not needed (a self-signed certificate works).
.PARAMETER AllowInsecureHttp
    Accept an http:// server URL (a test server on a private network; the credential and the
    recovery passwords then cross the network in clear).
.PARAMETER Uninstall
    Remove the scheduled task, the client folder (credential, configuration, state, logs) and the
    event source. The server keeps the device: revoke it there (lockkeeper device revoke).
#>
[CmdletBinding(DefaultParameterSetName = 'Run')]
param(
    [Parameter(Mandatory = $true, ParameterSetName = 'Install')]
    [switch] $Install,

    [Parameter(Mandatory = $true, ParameterSetName = 'Install')]
    [string] $Server,

    [Parameter(ParameterSetName = 'Install')]
    [string] $EnrollmentTokenFile,

    [Parameter(ParameterSetName = 'Install')]
    [string] $Proxy,

    [Parameter(ParameterSetName = 'Install')]
    [string] $CertificateSha256,

    [Parameter(ParameterSetName = 'Install')]
    [switch] $AllowInsecureHttp,

    [Parameter(Mandatory = $true, ParameterSetName = 'Uninstall')]
    [switch] $Uninstall
)

Set-StrictMode -Version 3.0
$ErrorActionPreference = 'Stop'

$ClientVersion = '2.0.0'
$TaskName = 'Lockkeeper client'
$EventLogSource = 'Lockkeeper client'
$ClientFolder = Join-Path $env:ProgramData 'Lockkeeper'
$InstalledScript = Join-Path $ClientFolder 'Lockkeeper-Client.ps1'
$ConfigFile = Join-Path $ClientFolder 'config.json'
$CredentialFile = Join-Path $ClientFolder 'credential.bin'
$StateFile = Join-Path $ClientFolder 'state.json'
$LogFile = Join-Path $ClientFolder 'lockkeeper.log'
$LogFileBytes = 1MB
$LogFilesKept = 3
$PowerShellExe = Join-Path $env:SystemRoot 'System32\WindowsPowerShell\v1.0\powershell.exe'
$Invariant = [Globalization.CultureInfo]::InvariantCulture
$Utf8 = New-Object Text.UTF8Encoding($false)
$EncryptionNamespace = 'root/CIMV2/Security/MicrosoftVolumeEncryption'
$SystemSid = 'S-1-5-18'
$AdministratorsSid = 'S-1-5-32-544'
$CredentialEntropy = $Utf8.GetBytes('Lockkeeper device credential')
$MaxAttempts = 5
$MaxRetryWaitSeconds = 300
$EventBatchSize = 200
$MaxEventsPerQuery = 1000

# The recovery events the server reads, by the log they are written to. BitLocker-Driver writes
# 24652 (a recovery password was used to start Windows) to System; BitLocker-API writes 782 and
# 805 (volume unlocked; 805 in Windows RE) to its BitLocker Management log and the boot manager's
# 521/522/523/530 (PCR mismatch, boot application changed, BCD setting changed, locked out) to
# System: both logs are read for those, so they are found wherever a build writes them.
$EventQueries = @(
    @{ LogName = 'System'; ProviderName = 'Microsoft-Windows-BitLocker-Driver'; Id = @(24652); Source = 'BitLocker-Driver' }
    @{ LogName = 'System'; ProviderName = 'Microsoft-Windows-BitLocker-API'; Id = @(521, 522, 523, 530); Source = 'BitLocker-API' }
    @{ LogName = 'Microsoft-Windows-BitLocker/BitLocker Management'; ProviderName = 'Microsoft-Windows-BitLocker-API'; Id = @(782, 805, 521, 522, 523, 530); Source = 'BitLocker-API' }
)

# Win32_EncryptableVolume.GetKeyProtectorType, named as the BitLocker module names them.
$ProtectorTypeNames = @{
    0 = 'Unknown'; 1 = 'Tpm'; 2 = 'ExternalKey'; 3 = 'RecoveryPassword'; 4 = 'TpmPin'; 5 = 'TpmStartupKey'
    6 = 'TpmPinStartupKey'; 7 = 'PublicKey'; 8 = 'Password'; 9 = 'TpmNetworkKey'; 10 = 'AdAccountOrGroup'
}
# Win32_EncryptableVolume.EncryptionMethod, named as Get-BitLockerVolume shows them.
$EncryptionMethodNames = @{
    1 = 'Aes128Diffuser'; 2 = 'Aes256Diffuser'; 3 = 'Aes128'; 4 = 'Aes256'; 5 = 'Hardware'; 6 = 'XtsAes128'; 7 = 'XtsAes256'
}
$ProtectionStatusNames = @{ 0 = 'Off'; 1 = 'On'; 2 = 'Unknown' }
$VolumeTypeNames = @{ 0 = 'OperatingSystem'; 1 = 'FixedData'; 2 = 'RemovableData' }

$script:FailedSteps = 0
$script:LogDisabled = $false

# ---------------------------------------------------------------------------------------------
# Small helpers
# ---------------------------------------------------------------------------------------------

function Get-Field($Object, [string] $Name) {
    if ($null -eq $Object) { return $null }
    if ($Object -is [Collections.IDictionary]) {
        if ($Object.Contains($Name)) { return $Object[$Name] }
        return $null
    }
    $property = $Object.PSObject.Properties[$Name]
    if ($property) { return $property.Value }
    return $null
}

function ConvertTo-IsoTime([DateTime] $Time) {
    return $Time.ToUniversalTime().ToString('o', [Globalization.CultureInfo]::InvariantCulture)
}

function ConvertFrom-IsoTime([string] $Text) {
    return [DateTime]::Parse($Text, $Invariant, [Globalization.DateTimeStyles]::RoundtripKind).ToUniversalTime()
}

function Format-ProtectorId([string] $Id) {
    # '{4d3c2b1a-...}' or '4D3C2B1A-...' -> '{4D3C2B1A-8F7E-4A6B-9C0D-112233445566}'
    return ([Guid] $Id).ToString('B').ToUpperInvariant()
}

function Format-VolumeId([string] $Id) {
    # BitLocker's volume GUID, lower case with dashes and without braces.
    return ([Guid] $Id).ToString('D')
}

function Test-Guid([string] $Text) {
    $parsed = [Guid]::Empty
    return [Guid]::TryParse("$Text", [ref] $parsed)
}

# A GUID an event names for a protector; the all-zero GUID names none.
function Test-ProtectorGuid([string] $Text) {
    return (Test-Guid $Text) -and ([Guid] $Text) -ne [Guid]::Empty
}

# ---------------------------------------------------------------------------------------------
# Log: a rotating file in the client folder, and the Application event log for what goes wrong.
# Never a password, a token, a credential or a request body.
# ---------------------------------------------------------------------------------------------

function Write-Log {
    param([ValidateSet('Info', 'Warning', 'Error')] [string] $Level, [string] $Message)
    $line = '{0} {1,-7} {2}' -f (ConvertTo-IsoTime ([DateTime]::UtcNow)), $Level.ToUpperInvariant(), $Message
    try {
        if ((Test-Path -LiteralPath $ClientFolder -PathType Container) -and -not $script:LogDisabled) {
            if ((Test-Path -LiteralPath $LogFile) -and (Get-Item -LiteralPath $LogFile).Length -ge $LogFileBytes) {
                for ($i = $LogFilesKept - 1; $i -ge 1; $i--) {
                    $older = "$LogFile.$i"
                    $newer = if ($i -eq 1) { $LogFile } else { "$LogFile.$($i - 1)" }
                    if (Test-Path -LiteralPath $older) { Remove-Item -LiteralPath $older -Force }
                    if (Test-Path -LiteralPath $newer) { Move-Item -LiteralPath $newer -Destination $older -Force }
                }
            }
            $created = -not (Test-Path -LiteralPath $LogFile)
            [IO.File]::AppendAllText($LogFile, $line + [Environment]::NewLine, $Utf8)
            if ($created) { Set-Acl -LiteralPath $LogFile -AclObject (New-ClientSecurity) }
        }
    } catch {
        # The log must never stop a run.
    }
    if ($Level -ne 'Info') {
        try {
            if ([Diagnostics.EventLog]::SourceExists($EventLogSource)) {
                $entryType = if ($Level -eq 'Error') { 'Error' } else { 'Warning' }
                $eventId = if ($Level -eq 'Error') { 3 } else { 2 }
                Write-EventLog -LogName Application -Source $EventLogSource -EntryType $entryType -EventId $eventId -Message $Message
            }
        } catch {
            # No event log source (not installed, or PowerShell 7): the file has it.
        }
    }
    Write-Verbose $line
}

# Runs one step; a failure is logged and counted, and the run goes on. Answers the step's output,
# or nothing when it failed.
function Invoke-Step([string] $StepName, [scriptblock] $StepBlock) {
    try {
        return & $StepBlock
    } catch {
        $script:FailedSteps++
        Write-Log Error "$StepName failed: $($_.Exception.Message)"
    }
}

# ---------------------------------------------------------------------------------------------
# The client folder: created with its owner and ACL before anything is written; checked on
# every run, since SYSTEM runs the script it holds.
# ---------------------------------------------------------------------------------------------

function New-ClientSecurity([switch] $Folder) {
    $security = if ($Folder) { New-Object Security.AccessControl.DirectorySecurity } else { New-Object Security.AccessControl.FileSecurity }
    $security.SetOwner((New-Object Security.Principal.SecurityIdentifier($AdministratorsSid)))
    $security.SetAccessRuleProtection($true, $false)
    $inheritance = if ($Folder) { 'ContainerInherit, ObjectInherit' } else { 'None' }
    foreach ($sid in $SystemSid, $AdministratorsSid) {
        $identity = New-Object Security.Principal.SecurityIdentifier($sid)
        $rule = New-Object Security.AccessControl.FileSystemAccessRule($identity, 'FullControl', $inheritance, 'None', 'Allow')
        $security.AddAccessRule($rule)
    }
    return $security
}

# What is wrong with one item of the client folder, or nothing.
function Get-ItemProblem([string] $Path) {
    $item = Get-Item -LiteralPath $Path -Force
    if ($item.Attributes -band [IO.FileAttributes]::ReparsePoint) {
        return "$Path is a link (reparse point)"
    }
    $acl = Get-Acl -LiteralPath $Path
    $owner = $acl.GetOwner([Security.Principal.SecurityIdentifier]).Value
    if ($owner -ne $SystemSid -and $owner -ne $AdministratorsSid) {
        return "$Path is owned by $owner, not by SYSTEM or Administrators"
    }
    foreach ($rule in $acl.GetAccessRules($true, $true, [Security.Principal.SecurityIdentifier])) {
        $who = $rule.IdentityReference.Value
        if ($rule.AccessControlType -eq 'Allow' -and $who -ne $SystemSid -and $who -ne $AdministratorsSid) {
            return "$Path grants access to $who"
        }
    }
    if ($item.PSIsContainer -and -not $acl.AreAccessRulesProtected) {
        return "$Path inherits permissions from its parent"
    }
    return $null
}

function Get-ClientFolderProblem {
    $problem = Get-ItemProblem $ClientFolder
    if ($problem) { return $problem }
    if (-not (Get-Item -LiteralPath $ClientFolder -Force).PSIsContainer) { return "$ClientFolder is not a folder" }
    foreach ($child in @(Get-ChildItem -LiteralPath $ClientFolder -Force)) {
        $problem = Get-ItemProblem $child.FullName
        if ($problem) { return $problem }
    }
    return $null
}

function Initialize-ClientFolder {
    if (-not (Test-Path -LiteralPath $ClientFolder)) {
        $security = New-ClientSecurity -Folder
        if ($PSVersionTable.PSEdition -eq 'Desktop') {
            [IO.Directory]::CreateDirectory($ClientFolder, $security) | Out-Null
        } else {
            [IO.FileSystemAclExtensions]::CreateDirectory($security, $ClientFolder) | Out-Null
        }
    }
    if (-not (Test-Path -LiteralPath $LogFile) -and (Test-Path -LiteralPath $ClientFolder -PathType Container) -and
        -not (Get-ItemProblem $ClientFolder)) {
        Write-ClientFile $LogFile (New-Object byte[] 0)
    }
    # Also after creating it: someone may have made it in between.
    $problem = Get-ClientFolderProblem
    if ($problem) {
        throw ("$problem. A folder the client did not make may have been prepared by someone else to change " +
            "what SYSTEM runs. Check what it holds, remove it (Remove-Item -LiteralPath '$ClientFolder' -Recurse -Force) " +
            "and install again.")
    }
}

function Assert-ClientFolder {
    if (-not (Test-Path -LiteralPath $ClientFolder -PathType Container)) {
        throw "$ClientFolder does not exist: install the client first (Lockkeeper-Client.ps1 -Install -Server URL)."
    }
    $problem = Get-ClientFolderProblem
    if ($problem) {
        $script:LogDisabled = $true
        throw "$problem; the client does not run from a folder others can change. Remove it and install again."
    }
}

function Write-ClientFile([string] $Path, [byte[]] $Bytes) {
    [IO.File]::WriteAllBytes($Path, $Bytes)
    Set-Acl -LiteralPath $Path -AclObject (New-ClientSecurity)
}

# ---------------------------------------------------------------------------------------------
# Configuration, credential and state
# ---------------------------------------------------------------------------------------------

function ConvertTo-ServerUrl([string] $Url, [bool] $InsecureAllowed) {
    $uri = $null
    if (-not [Uri]::TryCreate($Url.Trim(), [UriKind]::Absolute, [ref] $uri)) {
        throw "-Server must be a URL like https://lockkeeper.corp.example.com"
    }
    if ($uri.Scheme -eq 'http' -and -not $InsecureAllowed) {
        throw "-Server is http://: the credential and the recovery passwords would cross the network in clear. Use https://, or add -AllowInsecureHttp for a test server."
    }
    if ($uri.Scheme -ne 'https' -and $uri.Scheme -ne 'http') {
        throw "-Server must be an https:// URL"
    }
    return $uri.AbsoluteUri.TrimEnd('/')
}

function ConvertTo-Fingerprint([string] $Text) {
    $hex = ($Text -replace '[\s:-]', '').ToUpperInvariant()
    if ($hex -notmatch '^[0-9A-F]{64}$') {
        throw '-CertificateSha256 must be the SHA-256 fingerprint of the server''s certificate: 64 hex digits (colons allowed).'
    }
    return $hex
}

function Assert-PinningSupported([string] $Fingerprint) {
    if ($Fingerprint -and $PSVersionTable.PSEdition -ne 'Desktop') {
        throw 'Certificate pinning needs Windows PowerShell 5.1 (powershell.exe), which the scheduled task runs.'
    }
}

function Read-Config {
    $config = ConvertFrom-Json -InputObject ([IO.File]::ReadAllText($ConfigFile, $Utf8))
    $server = Get-Field $config 'server'
    if (-not $server) { throw "$ConfigFile names no server: install again." }
    $insecure = [bool] (Get-Field $config 'allowInsecureHttp')
    ConvertTo-ServerUrl $server $insecure | Out-Null
    Assert-PinningSupported (Get-Field $config 'certificateSha256')
    return $config
}

function Protect-Credential([string] $Credential) {
    Add-Type -AssemblyName System.Security
    $bytes = $Utf8.GetBytes($Credential)
    try {
        return [Security.Cryptography.ProtectedData]::Protect($bytes, $CredentialEntropy, [Security.Cryptography.DataProtectionScope]::LocalMachine)
    } finally {
        [Array]::Clear($bytes, 0, $bytes.Length)
    }
}

function Read-Credential {
    if (-not (Test-Path -LiteralPath $CredentialFile)) {
        throw "this computer is not enrolled ($CredentialFile is missing): install again with an enrollment token."
    }
    Add-Type -AssemblyName System.Security
    $bytes = [Security.Cryptography.ProtectedData]::Unprotect([IO.File]::ReadAllBytes($CredentialFile), $CredentialEntropy,
        [Security.Cryptography.DataProtectionScope]::LocalMachine)
    try {
        return $Utf8.GetString($bytes)
    } finally {
        [Array]::Clear($bytes, 0, $bytes.Length)
    }
}

function Read-State {
    $state = @{ escrowed = @{}; firstSeen = @{}; rotations = @{}; events = @{} }
    if (Test-Path -LiteralPath $StateFile) {
        try {
            $saved = ConvertFrom-Json -InputObject ([IO.File]::ReadAllText($StateFile, $Utf8))
            foreach ($section in 'escrowed', 'firstSeen', 'rotations', 'events') {
                $value = Get-Field $saved $section
                if ($null -ne $value) {
                    foreach ($property in $value.PSObject.Properties) { $state[$section][$property.Name] = $property.Value }
                }
            }
        } catch {
            Write-Log Warning "state.json could not be read ($($_.Exception.Message)); starting afresh, the server ignores repeats"
        }
    }
    return $state
}

function Save-State($State) {
    $temporary = "$StateFile.new"
    [IO.File]::WriteAllText($temporary, (ConvertTo-Json -InputObject $State -Depth 6), $Utf8)
    if (Test-Path -LiteralPath $StateFile) {
        [IO.File]::Replace($temporary, $StateFile, $null)
    } else {
        [IO.File]::Move($temporary, $StateFile)
    }
    Set-Acl -LiteralPath $StateFile -AclObject (New-ClientSecurity)
}

# ---------------------------------------------------------------------------------------------
# The server
# ---------------------------------------------------------------------------------------------

function Enable-Tls12 {
    if ($PSVersionTable.PSEdition -eq 'Desktop') {
        # Windows PowerShell 5.1 on .NET Framework may offer only TLS 1.0/1.1 by default.
        [Net.ServicePointManager]::SecurityProtocol = [Net.ServicePointManager]::SecurityProtocol -bor [Net.SecurityProtocolType]::Tls12
    }
}

function New-PinnedCertificateCheck([string] $Fingerprint) {
    $expected = $Fingerprint
    return [Net.Security.RemoteCertificateValidationCallback] {
        param($sender, $certificate, $chain, $sslPolicyErrors)
        if ($null -eq $certificate) { return $false }
        $sha256 = [Security.Cryptography.SHA256]::Create()
        try {
            $actual = [BitConverter]::ToString($sha256.ComputeHash($certificate.GetRawCertData())).Replace('-', '')
        } finally {
            $sha256.Dispose()
        }
        return [string]::Equals($actual, $expected, [StringComparison]::OrdinalIgnoreCase)
    }.GetNewClosure()
}

function Find-WebException([Exception] $Exception) {
    for ($e = $Exception; $null -ne $e; $e = $e.InnerException) {
        if ($e -is [Net.WebException]) { return $e }
    }
    return $null
}

# One POST; answers the status, the JSON (if the answer is JSON) and Retry-After. Throws only
# when no HTTP answer came back (connection, TLS, timeout).
function Send-HttpRequest($Config, [string] $Uri, [string] $Token, [byte[]] $Bytes) {
    $request = [Net.HttpWebRequest] [Net.WebRequest]::Create($Uri)
    $request.Method = 'POST'
    $request.ContentType = 'application/json; charset=utf-8'
    $request.Accept = 'application/json, application/problem+json'
    $request.UserAgent = "Lockkeeper-Client/$ClientVersion"
    $request.Headers['Authorization'] = "Bearer $Token"
    $request.Headers['Lockkeeper-Client-Version'] = $ClientVersion
    $request.AllowAutoRedirect = $false
    $request.Timeout = 60000
    $request.ReadWriteTimeout = 60000
    $proxyUrl = Get-Field $Config 'proxy'
    if ($proxyUrl) { $request.Proxy = New-Object Net.WebProxy($proxyUrl, $true) }
    $pin = Get-Field $Config 'certificateSha256'
    if ($pin) { $request.ServerCertificateValidationCallback = New-PinnedCertificateCheck $pin }
    $request.ContentLength = $Bytes.Length
    $stream = $request.GetRequestStream()
    try { $stream.Write($Bytes, 0, $Bytes.Length) } finally { $stream.Dispose() }
    $response = $null
    try {
        $response = [Net.HttpWebResponse] $request.GetResponse()
    } catch {
        $webException = Find-WebException $_.Exception
        if ($null -eq $webException -or $null -eq $webException.Response) { throw }
        $response = [Net.HttpWebResponse] $webException.Response
    }
    try {
        $reader = New-Object IO.StreamReader($response.GetResponseStream(), $Utf8)
        try { $text = $reader.ReadToEnd() } finally { $reader.Dispose() }
        $json = $null
        if ($text -and "$($response.ContentType)" -match 'json') {
            try { $json = ConvertFrom-Json -InputObject $text } catch { $json = $null }
        }
        return [pscustomobject]@{ Status = [int] $response.StatusCode; Json = $json; RetryAfter = $response.Headers['Retry-After'] }
    } finally {
        $response.Close()
    }
}

function Get-RetryDelay([string] $RetryAfter, [int] $Attempt) {
    $seconds = 0
    if ($RetryAfter -and [int]::TryParse($RetryAfter.Trim(), [ref] $seconds)) {
        return [Math]::Min([Math]::Max($seconds, 1), $MaxRetryWaitSeconds)
    }
    $date = [DateTime]::MinValue
    if ($RetryAfter -and [DateTime]::TryParse($RetryAfter, $Invariant, [Globalization.DateTimeStyles]::AdjustToUniversal, [ref] $date)) {
        $wait = [int] [Math]::Ceiling(($date - [DateTime]::UtcNow).TotalSeconds)
        return [Math]::Min([Math]::Max($wait, 1), $MaxRetryWaitSeconds)
    }
    # Exponential back-off with jitter: 2, 4, 8, 16 seconds and a bit.
    return [Math]::Min([int] [Math]::Pow(2, $Attempt) + (Get-Random -Minimum 0 -Maximum 3), $MaxRetryWaitSeconds)
}

# A problem+json answer in one line: status, type, title and the fields it names. The server's
# answers hold no secrets; the request body (a recovery password) is never logged.
function Format-Answer($Answer) {
    $parts = @("HTTP $($Answer.Status)")
    foreach ($name in 'type', 'title', 'detail') {
        $value = Get-Field $Answer.Json $name
        if ($value) { $parts += "$value" }
    }
    $status = Get-Field $Answer.Json 'status'
    if ($status -and "$status" -notmatch '^\d+$') { $parts += "status $status" }
    foreach ($fieldError in @(Get-Field $Answer.Json 'errors')) {
        if ($null -ne $fieldError) { $parts += "$(Get-Field $fieldError 'field') $(Get-Field $fieldError 'reason')" }
    }
    return $parts -join '; '
}

# POST a JSON body; retries on 503/429 (honouring Retry-After) and on connection errors with
# exponential back-off. Answers the last HTTP answer.
function Invoke-LockkeeperApi($Config, [string] $Path, [string] $Token, $Body) {
    $uri = (Get-Field $Config 'server').TrimEnd('/') + $Path
    $bytes = $Utf8.GetBytes((ConvertTo-Json -InputObject $Body -Depth 8 -Compress))
    for ($attempt = 1; ; $attempt++) {
        $answer = $null
        $failure = $null
        try {
            $answer = Send-HttpRequest $Config $uri $Token $bytes
        } catch {
            $webException = Find-WebException $_.Exception
            if ($webException -and ($webException.Status -eq 'TrustFailure' -or $webException.Status -eq 'SecureChannelFailure')) {
                throw "the TLS connection to $uri failed ($($webException.Status)): the server's certificate is not trusted or does not match the pinned fingerprint"
            }
            $failure = $_.Exception.Message
        }
        if ($answer -and $answer.Status -ne 503 -and $answer.Status -ne 429) { return $answer }
        if ($attempt -ge $MaxAttempts) {
            if ($answer) { return $answer }
            throw "cannot reach $uri after $attempt attempts: $failure"
        }
        $retryAfter = if ($answer) { $answer.RetryAfter } else { $null }
        $wait = Get-RetryDelay $retryAfter $attempt
        $why = if ($answer) { "HTTP $($answer.Status)" } else { $failure }
        Write-Log Warning "$Path attempt $attempt of ${MaxAttempts}: $why; trying again in $wait s"
        Start-Sleep -Seconds $wait
    }
}

# ---------------------------------------------------------------------------------------------
# The computer
# ---------------------------------------------------------------------------------------------

function Get-ComputerSystem {
    return Get-CimInstance -ClassName Win32_ComputerSystem -ErrorAction Stop
}

function Get-ComputerFqdn($ComputerSystem) {
    $name = "$(Get-Field $ComputerSystem 'DNSHostName')"
    if (-not $name) { $name = $env:COMPUTERNAME }
    if ((Get-Field $ComputerSystem 'PartOfDomain') -and (Get-Field $ComputerSystem 'Domain')) {
        return "$name.$($ComputerSystem.Domain)"
    }
    return $name
}

function Get-HardwareId {
    $uuid = "$((Get-CimInstance -ClassName Win32_ComputerSystemProduct -ErrorAction Stop).UUID)"
    if (-not (Test-Guid $uuid) -or $uuid -match '^[0-]+$' -or $uuid -match '^[Ff-]+$') {
        throw "this computer's SMBIOS UUID ('$uuid') is missing or a placeholder: the firmware must report a system UUID to enroll"
    }
    return ([Guid] $uuid).ToString('D').ToUpperInvariant()
}

# The account logged on at the console (Win32_ComputerSystem.UserName), if any: the user the
# server associates with the computer. Nothing when nobody is logged on.
function Get-DeviceUsers($Run) {
    $user = "$(Get-Field $Run.ComputerSystem 'UserName')"
    if ($user) { return , @($user) }
    return , @()
}

# ---------------------------------------------------------------------------------------------
# The BitLocker volumes
# ---------------------------------------------------------------------------------------------

function Invoke-VolumeMethod($Instance, [string] $Method, [hashtable] $Arguments = @{}) {
    $result = Invoke-CimMethod -InputObject $Instance -MethodName $Method -Arguments $Arguments -ErrorAction Stop
    $code = [uint32] $result.ReturnValue
    if ($code -ne 0) {
        throw ('Win32_EncryptableVolume.{0} answered 0x{1:X8}' -f $Method, $code)
    }
    return $result
}

function Get-VolumeProtectors($Instance, [bool] $Locked) {
    $ids = @((Invoke-VolumeMethod $Instance 'GetKeyProtectors' @{ KeyProtectorType = [uint32] 0 }).VolumeKeyProtectorID)
    foreach ($rawId in $ids) {
        if (-not $rawId) { continue }
        $id = Format-ProtectorId $rawId
        $typeNumber = [int] (Invoke-VolumeMethod $Instance 'GetKeyProtectorType' @{ VolumeKeyProtectorID = $rawId }).KeyProtectorType
        $type = if ($ProtectorTypeNames.ContainsKey($typeNumber)) { $ProtectorTypeNames[$typeNumber] } else { "Type$typeNumber" }
        $password = $null
        if ($type -eq 'RecoveryPassword' -and -not $Locked) {
            try {
                $password = (Invoke-VolumeMethod $Instance 'GetKeyProtectorNumericalPassword' @{ VolumeKeyProtectorID = $rawId }).NumericalPassword
            } catch {
                Write-Log Warning "the recovery password of $id could not be read: $($_.Exception.Message)"
            }
        }
        [pscustomobject]@{ Id = $id; RawId = $rawId; Type = $type; RecoveryPassword = $password }
    }
}

# One encrypted volume as the client reports it, or nothing for a volume BitLocker does not
# protect. Throws when something it cannot report without is unreadable: the volume is then
# left out of the check-in, and the server leaves a volume not reported alone.
function Read-EncryptedVolume($Instance, $Run) {
    $persistentId = "$(Get-Field $Instance 'PersistentVolumeID')"
    if (-not $persistentId) { return $null }
    if ((Get-Field $Instance 'ConversionStatus') -eq 0) { return $null }
    $volumeTypeNumber = Get-Field $Instance 'VolumeType'
    if ($null -eq $volumeTypeNumber -or -not $VolumeTypeNames.ContainsKey([int] $volumeTypeNumber)) {
        throw "Win32_EncryptableVolume.VolumeType is '$volumeTypeNumber', not 0, 1 or 2"
    }
    $lock = Invoke-VolumeMethod $Instance 'GetLockStatus'
    $locked = ([int] $lock.LockStatus) -eq 1
    $protectionNumber = [int] (Invoke-VolumeMethod $Instance 'GetProtectionStatus').ProtectionStatus
    $methodNumber = Get-Field $Instance 'EncryptionMethod'
    $driveLetter = "$(Get-Field $Instance 'DriveLetter')"
    $deviceId = "$(Get-Field $Instance 'DeviceID')"
    $deviceGuid = if ($deviceId -match '\{([0-9A-Fa-f-]{36})\}') { $Matches[1].ToLowerInvariant() } else { $null }
    $protectors = @(Get-VolumeProtectors $Instance $locked)
    foreach ($protector in $protectors) { Register-FirstSeen $Run $protector.Id }
    return [pscustomobject]@{
        VolumeId         = Format-VolumeId $persistentId
        VolumeType       = $VolumeTypeNames[[int] $volumeTypeNumber]
        DriveLetter      = $driveLetter
        MountPoint       = if ($driveLetter) { $driveLetter } else { $deviceId }
        DeviceGuid       = $deviceGuid
        Locked           = $locked
        ProtectionStatus = if ($ProtectionStatusNames.ContainsKey($protectionNumber)) { $ProtectionStatusNames[$protectionNumber] } else { 'Unknown' }
        EncryptionMethod = if ($null -ne $methodNumber -and $EncryptionMethodNames.ContainsKey([int] $methodNumber)) { $EncryptionMethodNames[[int] $methodNumber] } else { $null }
        Protectors       = $protectors
        Instance         = $Instance
    }
}

function Get-EncryptedVolumes($Run) {
    $volumes = New-Object Collections.Generic.List[object]
    $instances = @(Get-CimInstance -Namespace $EncryptionNamespace -ClassName Win32_EncryptableVolume -ErrorAction Stop)
    foreach ($instance in $instances) {
        $name = "$(Get-Field $instance 'DriveLetter')"
        if (-not $name) { $name = "$(Get-Field $instance 'DeviceID')" }
        try {
            $volume = Read-EncryptedVolume $instance $Run
            if ($volume) {
                $volumes.Add($volume)
                if ($volume.Locked) {
                    Write-Log Warning "volume $name ($($volume.VolumeId)) is locked: reported as far as known, its recovery passwords cannot be read until it is unlocked"
                }
            }
        } catch {
            Write-Log Error "volume $name is left out of this run: $($_.Exception.Message)"
        }
    }
    return , $volumes.ToArray()
}

# When a protector was created: BitLocker-API event 775 (a key protector was created) when the
# log still holds it, else the first run that saw it. Kept in the state so it never changes.
function Register-FirstSeen($Run, [string] $ProtectorId) {
    if ($Run.State.firstSeen.ContainsKey($ProtectorId)) { return }
    $created = $null
    if ($null -eq $Run.ProtectorCreated) {
        $Run.ProtectorCreated = @{}
        try {
            $filter = @{ LogName = 'Microsoft-Windows-BitLocker/BitLocker Management'; ProviderName = 'Microsoft-Windows-BitLocker-API'; Id = 775 }
            foreach ($record in @(Get-WinEvent -FilterHashtable $filter -MaxEvents $MaxEventsPerQuery -ErrorAction Stop)) {
                $data = Read-EventData $record
                $guid = $data['ProtectorGUID']
                if (Test-Guid $guid) { $Run.ProtectorCreated[(Format-ProtectorId $guid)] = $record.TimeCreated }
            }
        } catch {
            if ("$($_.FullyQualifiedErrorId)" -notlike 'NoMatching*') {
                Write-Log Warning "the protector creation events could not be read: $($_.Exception.Message)"
            }
        }
    }
    if ($Run.ProtectorCreated.ContainsKey($ProtectorId)) { $created = $Run.ProtectorCreated[$ProtectorId] } else { $created = [DateTime]::UtcNow }
    $Run.State.firstSeen[$ProtectorId] = ConvertTo-IsoTime $created
}

function Get-CreatedAt($Run, [string] $ProtectorId) {
    $seen = $Run.State.firstSeen[$ProtectorId]
    if ($seen) { return ConvertFrom-IsoTime $seen }
    return [DateTime]::UtcNow
}

# The label BitLocker gives a volume when it is turned on, which the recovery screen shows:
# computer name, drive letter, date. The client cannot read BitLocker's own copy; it makes the
# same from the volume's oldest protector, so it stays the same from run to run.
function Get-DriveLabel($Run, $Volume) {
    $oldest = [DateTime]::UtcNow
    foreach ($protector in $Volume.Protectors) {
        $created = Get-CreatedAt $Run $protector.Id
        if ($created -lt $oldest) { $oldest = $created }
    }
    $parts = @($env:COMPUTERNAME)
    if ($Volume.DriveLetter) { $parts += $Volume.DriveLetter }
    $parts += $oldest.ToLocalTime().ToString('MM/dd/yyyy', $Invariant)
    return $parts -join ' '
}

function Get-KeyPackage($Volume, $Protector) {
    try {
        $bytes = [byte[]] (Invoke-VolumeMethod $Volume.Instance 'GetKeyPackage' @{ VolumeKeyProtectorID = $Protector.RawId }).KeyPackage
        if ($bytes -and $bytes.Length -gt 0) { return [Convert]::ToBase64String($bytes) }
    } catch {
        Write-Log Warning "the key package of $($Protector.Id) could not be read, escrowing without it: $($_.Exception.Message)"
    }
    return $null
}

# The verifier the server compares with its stored key without decrypting it:
# lowercase hex SHA-256( UTF-8("lockkeeper/v1/recovery-password/" + P + "/" + V) || 0x00 || K ),
# P the protector ID's 32 hex digits upper case, V the volume GUID lower case with dashes, K the
# 16 key bytes (block i divided by 11 is the little-endian 16-bit word at bytes 2i, 2i+1).
function Get-RecoveryPasswordVerifier([string] $ProtectorId, [string] $VolumeId, [string] $RecoveryPassword) {
    $blocks = @($RecoveryPassword.Trim() -split '[- ]+')
    if ($blocks.Count -eq 1 -and $blocks[0] -match '^[0-9]{48}$') {
        $digits = $blocks[0]
        $blocks = @(for ($i = 0; $i -lt 8; $i++) { $digits.Substring($i * 6, 6) })
    }
    if ($blocks.Count -ne 8) { throw 'a recovery password has 8 blocks of 6 digits' }
    $key = New-Object byte[] 16
    $data = $null
    try {
        for ($i = 0; $i -lt 8; $i++) {
            if ($blocks[$i] -notmatch '^[0-9]{6}$') { throw "block $($i + 1) of the recovery password is not 6 digits" }
            $value = [int]::Parse($blocks[$i], $Invariant)
            if ($value % 11 -ne 0 -or $value -gt 720885) { throw "block $($i + 1) of the recovery password is not a valid block" }
            $word = [int] ($value / 11)
            $key[2 * $i] = [byte] ($word -band 0xFF)
            $key[2 * $i + 1] = [byte] (($word -shr 8) -band 0xFF)
        }
        $p = ([Guid] $ProtectorId).ToString('N').ToUpperInvariant()
        $v = ([Guid] $VolumeId).ToString('D').ToLowerInvariant()
        $prefix = $Utf8.GetBytes("lockkeeper/v1/recovery-password/$p/$v")
        $data = New-Object byte[] ($prefix.Length + 1 + $key.Length)
        [Array]::Copy($prefix, 0, $data, 0, $prefix.Length)
        $data[$prefix.Length] = 0
        [Array]::Copy($key, 0, $data, $prefix.Length + 1, $key.Length)
        $sha256 = [Security.Cryptography.SHA256]::Create()
        try { $hash = $sha256.ComputeHash($data) } finally { $sha256.Dispose() }
        return [BitConverter]::ToString($hash).Replace('-', '').ToLowerInvariant()
    } finally {
        [Array]::Clear($key, 0, $key.Length)
        if ($data) { [Array]::Clear($data, 0, $data.Length) }
    }
}

# ---------------------------------------------------------------------------------------------
# The bodies the client sends (docs/device-api.md; clients/windows/examples/ holds one of each)
# ---------------------------------------------------------------------------------------------

function New-EnrollBody($Computer, [string] $HardwareId) {
    return [ordered]@{
        computer      = $Computer
        hardwareId    = $HardwareId
        clientVersion = $ClientVersion
    }
}

function New-EscrowBody($Run, $Volume, $Protector) {
    $body = [ordered]@{
        computer           = $Run.Computer
        volumeId           = $Volume.VolumeId
        volumeType         = $Volume.VolumeType
        driveLabel         = Get-DriveLabel $Run $Volume
        recoveryPasswordId = $Protector.Id
        recoveryPassword   = $Protector.RecoveryPassword
        createdAt          = ConvertTo-IsoTime (Get-CreatedAt $Run $Protector.Id)
    }
    $keyPackage = Get-KeyPackage $Volume $Protector
    if ($keyPackage) { $body['keyPackage'] = $keyPackage }
    $users = Get-DeviceUsers $Run
    if ($users.Count -gt 0) { $body['users'] = $users }
    return $body
}

function New-VerifierEntry($Volume, $Protector) {
    return [ordered]@{
        recoveryPasswordId = $Protector.Id
        verifier           = Get-RecoveryPasswordVerifier $Protector.Id $Volume.VolumeId $Protector.RecoveryPassword
    }
}

function New-CheckinVolume($Run, $Volume) {
    $recoveryPasswords = @($Volume.Protectors | Where-Object { $_.Type -eq 'RecoveryPassword' })
    $entry = [ordered]@{
        volumeId            = $Volume.VolumeId
        volumeType          = $Volume.VolumeType
        driveLabel          = Get-DriveLabel $Run $Volume
        protectionStatus    = $Volume.ProtectionStatus
        keyProtectors       = @($Volume.Protectors | ForEach-Object { $_.Type } | Select-Object -Unique)
        recoveryPasswordIds = @($recoveryPasswords | ForEach-Object { $_.Id })
    }
    if ($Volume.EncryptionMethod) { $entry['encryptionMethod'] = $Volume.EncryptionMethod }
    $verifiers = New-Object Collections.Generic.List[object]
    foreach ($protector in $recoveryPasswords) {
        if (-not $protector.RecoveryPassword) { continue }
        try {
            $verifiers.Add((New-VerifierEntry $Volume $protector))
        } catch {
            Write-Log Warning "no verifier for $($protector.Id): $($_.Exception.Message)"
        }
    }
    if ($verifiers.Count -gt 0) { $entry['recoveryPasswordVerifiers'] = $verifiers.ToArray() }
    return $entry
}

function New-CheckinBody($Run) {
    return [ordered]@{
        computer = $Run.Computer
        volumes  = @($Run.Volumes | ForEach-Object { New-CheckinVolume $Run $_ })
    }
}

function New-EventsBody($Run, $Entries) {
    return [ordered]@{
        computer = $Run.Computer
        events   = @($Entries)
    }
}

function New-EventEntry($Run, $Record, $Query) {
    $data = Read-EventData $Record
    $entry = [ordered]@{
        time     = ConvertTo-IsoTime $Record.TimeCreated
        source   = $Query.Source
        eventId  = [int] $Record.Id
        recordId = [long] $Record.RecordId
    }
    $protectorGuid = $null
    if ([int] $Record.Id -eq 24652) {
        $protectorGuid = $data['OptionalGUID']
    } elseif ([int] $Record.Id -eq 782 -or [int] $Record.Id -eq 805) {
        $protectorGuid = $data['ProtectorGUID']
    }
    $owner = $null
    if (Test-ProtectorGuid $protectorGuid) {
        $protectorId = Format-ProtectorId $protectorGuid
        $resolved = Resolve-Protector $Run $protectorId
        $owner = $resolved.Volume
        if ([int] $Record.Id -eq 24652) {
            $entry['unlockedBy'] = 'RecoveryPassword'
            $entry['recoveryPasswordId'] = $protectorId
        } elseif ($resolved.Type) {
            $entry['unlockedBy'] = $resolved.Type
            if ($resolved.Type -eq 'RecoveryPassword') { $entry['recoveryPasswordId'] = $protectorId }
        }
    } elseif ([int] $Record.Id -eq 24652) {
        $entry['unlockedBy'] = 'RecoveryPassword'
    }
    $volume = Resolve-EventVolume $Run $data
    if (-not $volume) { $volume = $owner }
    if ($volume) { $entry['volumeId'] = $volume.VolumeId }
    if ($Run.ProtectionMode) { $entry['protectionMode'] = $Run.ProtectionMode }
    if ($Run.PcrProfile) { $entry['pcrProfile'] = $Run.PcrProfile }
    if ($Run.FirmwareVersion) { $entry['firmwareVersion'] = $Run.FirmwareVersion }
    $message = ''
    try { $message = "$($Record.Message)".Trim() } catch { $message = '' }
    if ($message) {
        $firstLine = ($message -split "`r?`n")[0].Trim()
        if ($firstLine.Length -gt 2000) { $firstLine = $firstLine.Substring(0, 2000) }
        $entry['message'] = $firstLine
    }
    return $entry
}

# ---------------------------------------------------------------------------------------------
# Escrow, check-in, actions
# ---------------------------------------------------------------------------------------------

function Test-EscrowConfirmed($Answer, [string] $ProtectorId) {
    if ($Answer.Status -ne 200 -and $Answer.Status -ne 201) { return $false }
    $status = Get-Field $Answer.Json 'status'
    if ($status -ne 'stored' -and $status -ne 'already-stored') { return $false }
    $named = Get-Field $Answer.Json 'recoveryPasswordId'
    return (Test-Guid $named) -and ((Format-ProtectorId $named) -eq (Format-ProtectorId $ProtectorId))
}

function Send-Escrow($Run, $Volume, $Protector) {
    if ($Volume.Locked) { throw "volume $($Volume.VolumeId) is locked: its recovery password cannot be read" }
    if (-not $Protector.RecoveryPassword) { throw "the recovery password of $($Protector.Id) could not be read" }
    $answer = Invoke-LockkeeperApi $Run.Config '/api/v1/escrow' $Run.Credential (New-EscrowBody $Run $Volume $Protector)
    if (-not (Test-EscrowConfirmed $answer $Protector.Id)) {
        throw "the server did not confirm $($Protector.Id): $(Format-Answer $answer)"
    }
    $Run.State.escrowed[$Protector.Id] = $Volume.VolumeId
    Save-State $Run.State
    Write-Log Info "escrowed $($Protector.Id) of volume $($Volume.VolumeId) ($(Get-Field $answer.Json 'status'))"
}

function Invoke-Escrows($Run) {
    foreach ($volume in $Run.Volumes) {
        if ($volume.Locked) { continue }
        foreach ($protector in @($volume.Protectors | Where-Object { $_.Type -eq 'RecoveryPassword' })) {
            if ($Run.State.escrowed.ContainsKey($protector.Id)) { continue }
            Invoke-Step "escrow of $($protector.Id)" { Send-Escrow $Run $volume $protector } | Out-Null
        }
    }
}

function Send-Checkin($Run) {
    $answer = Invoke-LockkeeperApi $Run.Config '/api/v1/checkin' $Run.Credential (New-CheckinBody $Run)
    if ($answer.Status -ne 200) { throw "check-in refused: $(Format-Answer $answer)" }
    $device = Get-Field $answer.Json 'device'
    if ($device -eq 'pending') {
        Write-Log Warning 'the server holds this device for an administrator (lockkeeper device approve): escrows are kept, nothing else changes yet'
    }
    return $answer.Json
}

function Find-Volume($Run, [string] $VolumeId) {
    if (-not (Test-Guid $VolumeId)) { return $null }
    $wanted = Format-VolumeId $VolumeId
    return $Run.Volumes | Where-Object { $_.VolumeId -eq $wanted } | Select-Object -First 1
}

# Where Add-/Remove-BitLockerKeyProtector find this volume: its drive letter, or the mount point
# Get-BitLockerVolume gives a volume without one.
function Get-BitLockerMountPoint($Volume) {
    if ($Volume.DriveLetter) { return $Volume.DriveLetter }
    $match = Get-BitLockerVolume -ErrorAction Stop | Where-Object { $_.MountPoint -eq $Volume.MountPoint } | Select-Object -First 1
    if (-not $match) { throw "BitLocker lists no volume at $($Volume.MountPoint)" }
    return $match.MountPoint
}

# The protector an interrupted rotation of $Old added (escrowed since or not), else a recovery
# password protector the server has not confirmed: the rotation goes on with it instead of
# adding yet another.
function Find-RotationReplacement($Run, $Volume, $Old) {
    $others = @($Volume.Protectors | Where-Object { $_.Type -eq 'RecoveryPassword' -and $_.Id -ne $Old.Id })
    $earlier = $Run.State.rotations[$Old.Id]
    $replacement = $others | Where-Object { $_.Id -eq $earlier } | Select-Object -First 1
    if (-not $replacement) {
        $replacement = $others | Where-Object { -not $Run.State.escrowed.ContainsKey($_.Id) } | Select-Object -First 1
    }
    return $replacement
}

function Invoke-Rotation($Run, $Volume, $Old) {
    $mountPoint = Get-BitLockerMountPoint $Volume
    $replacement = Find-RotationReplacement $Run $Volume $Old
    if ($replacement) {
        Write-Log Info "rotation of $($Old.Id) goes on with $($replacement.Id), which an earlier attempt added"
    } else {
        $before = @($Volume.Protectors | ForEach-Object { $_.Id })
        # -WarningAction: the cmdlet's warning would print the new recovery password.
        Add-BitLockerKeyProtector -MountPoint $mountPoint -RecoveryPasswordProtector -ErrorAction Stop -WarningAction SilentlyContinue | Out-Null
        $Volume.Protectors = @(Get-VolumeProtectors $Volume.Instance $false)
        foreach ($protector in $Volume.Protectors) { Register-FirstSeen $Run $protector.Id }
        $replacement = $Volume.Protectors | Where-Object { $_.Type -eq 'RecoveryPassword' -and $before -notcontains $_.Id } | Select-Object -First 1
        if (-not $replacement) { throw 'the new recovery password protector does not show among the volume''s protectors' }
        $Run.State.rotations[$Old.Id] = $replacement.Id
        Save-State $Run.State
        Write-Log Info "added $($replacement.Id) to volume $($Volume.VolumeId) to replace $($Old.Id)"
    }
    # Throws unless the server answered stored/already-stored for this very protector: the old
    # protector then stays, and the next run goes on with the same replacement.
    Send-Escrow $Run $Volume $replacement
    Remove-BitLockerKeyProtector -MountPoint $mountPoint -KeyProtectorId $Old.RawId -ErrorAction Stop | Out-Null
    $Volume.Protectors = @($Volume.Protectors | Where-Object { $_.Id -ne $Old.Id })
    $Run.State.rotations.Remove($Old.Id)
    $Run.State.escrowed.Remove($Old.Id)
    Save-State $Run.State
    Write-Log Info "rotated $($Old.Id) of volume $($Volume.VolumeId): $($replacement.Id) replaces it"
}

# Answers whether it changed anything the server should see at once.
function Invoke-Action($Run, $Action) {
    $type = "$(Get-Field $Action 'type')"
    $id = "$(Get-Field $Action 'recoveryPasswordId')"
    $volumeId = "$(Get-Field $Action 'volumeId')"
    $volume = Find-Volume $Run $volumeId
    if (-not $volume) {
        Write-Log Warning "the server asks to $type $id on volume $volumeId, which this run does not see"
        return $false
    }
    $protector = $null
    if (Test-Guid $id) {
        $protector = $volume.Protectors | Where-Object { $_.Id -eq (Format-ProtectorId $id) } | Select-Object -First 1
    }
    switch ($type) {
        'escrow' {
            if (-not $protector) {
                Write-Log Warning "the server asks for $id, which volume $volumeId no longer has"
                return $false
            }
            $reason = Get-Field $Action 'reason'
            if ($reason) { Write-Log Info "the server asks for $id again ($reason)" }
            $Run.State.escrowed.Remove($protector.Id)
            Send-Escrow $Run $volume $protector
            return $true
        }
        'rotate' {
            if (-not $protector) {
                Write-Log Info "$id is gone from volume $volumeId already; the next check-in tells the server"
                return $true
            }
            if ($volume.Locked) { throw "volume $volumeId is locked: rotation waits until it is unlocked" }
            Invoke-Rotation $Run $volume $protector
            return $true
        }
        default {
            Write-Log Warning "unknown action '$type' ignored (a newer server?)"
            return $false
        }
    }
}

function Invoke-Actions($Run, $CheckinAnswer) {
    $changed = $false
    foreach ($action in @(Get-Field $CheckinAnswer 'actions')) {
        if ($null -eq $action) { continue }
        $done = Invoke-Step "$(Get-Field $action 'type') of $(Get-Field $action 'recoveryPasswordId')" { Invoke-Action $Run $action }
        if ($done -eq $true) { $changed = $true }
    }
    return $changed
}

# ---------------------------------------------------------------------------------------------
# Recovery events
# ---------------------------------------------------------------------------------------------

# An event's data by name (<EventData><Data Name="...">), never by position.
function Read-EventData($Record) {
    $data = @{}
    $xml = [xml] $Record.ToXml()
    $eventData = $xml.Event.PSObject.Properties['EventData']
    if ($eventData -and $eventData.Value) {
        foreach ($item in @($eventData.Value.ChildNodes)) {
            if ($item -isnot [Xml.XmlElement]) { continue }
            $name = $item.GetAttribute('Name')
            if ($name) { $data[$name] = $item.InnerText }
        }
    }
    return $data
}

# The volume an event names: by BitLocker's volume GUID, by the mount manager's GUID of the
# volume, or by drive letter; nothing when it names none of this run's volumes.
function Resolve-EventVolume($Run, [hashtable] $Data) {
    foreach ($name in @($Data.Keys)) {
        $value = "$($Data[$name])"
        foreach ($match in [regex]::Matches($value, '[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}')) {
            $guid = $match.Value.ToLowerInvariant()
            $volume = $Run.Volumes | Where-Object { $_.VolumeId -eq $guid -or $_.DeviceGuid -eq $guid } | Select-Object -First 1
            if ($volume) { return $volume }
        }
    }
    foreach ($name in 'VolumeMountPoint', 'Volume') {
        $value = "$($Data[$name])".Trim().TrimEnd('\')
        if ($value -match '^[A-Za-z]:$') {
            $volume = $Run.Volumes | Where-Object { $_.DriveLetter -eq $value.ToUpperInvariant() } | Select-Object -First 1
            if ($volume) { return $volume }
        }
    }
    return $null
}

# A protector an event names: its type (KeyProtectorType) and volume from this run's volumes;
# a protector gone since then is a recovery password if the server confirmed it as one.
function Resolve-Protector($Run, [string] $ProtectorId) {
    foreach ($volume in $Run.Volumes) {
        $protector = $volume.Protectors | Where-Object { $_.Id -eq $ProtectorId } | Select-Object -First 1
        if ($protector) { return [pscustomobject]@{ Type = $protector.Type; Volume = $volume } }
    }
    if ($Run.State.escrowed.ContainsKey($ProtectorId)) {
        return [pscustomobject]@{ Type = 'RecoveryPassword'; Volume = (Find-Volume $Run $Run.State.escrowed[$ProtectorId]) }
    }
    return [pscustomobject]@{ Type = $null; Volume = $null }
}

# What protects the operating system volume now (protectionMode, pcrProfile) and the firmware
# version, sent with each event.
function Initialize-EventContext($Run) {
    try {
        $Run.FirmwareVersion = "$((Get-CimInstance -ClassName Win32_BIOS -ErrorAction Stop).SMBIOSBIOSVersion)".Trim()
    } catch {
        Write-Log Warning "the firmware version could not be read: $($_.Exception.Message)"
    }
    $system = $Run.Volumes | Where-Object { $_.VolumeType -eq 'OperatingSystem' } | Select-Object -First 1
    if (-not $system) { return }
    $types = @($system.Protectors | ForEach-Object { $_.Type })
    foreach ($mode in 'TpmPinStartupKey', 'TpmStartupKey', 'TpmPin', 'Tpm') {
        if ($types -contains $mode) {
            $Run.ProtectionMode = $mode
            $tpm = $system.Protectors | Where-Object { $_.Type -eq $mode } | Select-Object -First 1
            try {
                $pcrs = @((Invoke-VolumeMethod $system.Instance 'GetKeyProtectorPlatformValidationProfile' @{ VolumeKeyProtectorID = $tpm.RawId }).PlatformValidationProfile)
                if ($pcrs.Count -gt 0) { $Run.PcrProfile = ($pcrs | ForEach-Object { [int] $_ } | Sort-Object) -join ',' }
            } catch {
                Write-Log Warning "the PCR profile could not be read: $($_.Exception.Message)"
            }
            return
        }
    }
    if ($types -contains 'ExternalKey') { $Run.ProtectionMode = 'StartupKey' }
    elseif ($types -contains 'Password') { $Run.ProtectionMode = 'Password' }
}

function Read-LogEvents($Run, $Query) {
    $filter = @{ LogName = $Query.LogName; ProviderName = $Query.ProviderName; Id = $Query.Id }
    $positionKey = "$($Query.LogName)|$($Query.ProviderName)"
    $position = $Run.State.events[$positionKey]
    $positionTime = Get-Field $position 'time'
    if ($positionTime) { $filter['StartTime'] = (ConvertFrom-IsoTime $positionTime).ToLocalTime() }
    try {
        $records = @(Get-WinEvent -FilterHashtable $filter -MaxEvents $MaxEventsPerQuery -ErrorAction Stop)
    } catch {
        # No such event, or no such log on this edition: nothing to report.
        if ("$($_.FullyQualifiedErrorId)" -like 'NoMatching*') { return }
        throw
    }
    foreach ($record in $records) {
        $time = ConvertTo-IsoTime $record.TimeCreated
        if ($positionTime -and $time -eq $positionTime -and [long] $record.RecordId -eq [long] (Get-Field $position 'recordId')) { continue }
        try {
            [pscustomobject]@{ PositionKey = $positionKey; Time = $record.TimeCreated.ToUniversalTime(); Entry = (New-EventEntry $Run $record $Query) }
        } catch {
            Write-Log Warning "event $($record.Id) record $($record.RecordId) in $($Query.LogName) could not be read: $($_.Exception.Message)"
        }
    }
}

function Send-RecoveryEvents($Run) {
    Initialize-EventContext $Run
    $collected = New-Object Collections.Generic.List[object]
    foreach ($query in $EventQueries) {
        Invoke-Step "reading $($query.ProviderName) events in $($query.LogName)" {
            foreach ($item in @(Read-LogEvents $Run $query)) { if ($item) { $collected.Add($item) } }
        } | Out-Null
    }
    $pending = @($collected | Sort-Object -Property Time, { $_.Entry['recordId'] })
    for ($start = 0; $start -lt $pending.Count; $start += $EventBatchSize) {
        $batch = @($pending[$start..([Math]::Min($start + $EventBatchSize, $pending.Count) - 1)])
        $answer = Invoke-LockkeeperApi $Run.Config '/api/v1/events' $Run.Credential (New-EventsBody $Run @($batch | ForEach-Object { $_.Entry }))
        if ($answer.Status -ne 200) {
            throw "events refused, sent again next run: $(Format-Answer $answer)"
        }
        # The position moves on whatever the server made of each event: it stores what it reads,
        # counts what it ignores, and never needs the same events again.
        foreach ($item in $batch) {
            $Run.State.events[$item.PositionKey] = [ordered]@{ time = $item.Entry['time']; recordId = $item.Entry['recordId'] }
        }
        Save-State $Run.State
        Write-Log Info ('events: {0} sent, {1} stored, {2} already there, {3} ignored' -f $batch.Count,
            (Get-Field $answer.Json 'stored'), (Get-Field $answer.Json 'duplicates'), (Get-Field $answer.Json 'ignored'))
    }
}

# ---------------------------------------------------------------------------------------------
# Install, uninstall, run
# ---------------------------------------------------------------------------------------------

# The enrollment token, from a file or asked for without echo: only when installing, never on a
# command line, never in a scheduled run.
function Read-EnrollmentToken([string] $Path) {
    if ($Path) {
        $token = [IO.File]::ReadAllText((Resolve-Path -LiteralPath $Path).ProviderPath).Trim()
    } else {
        $secure = Read-Host -AsSecureString -Prompt 'Enrollment token (lke_...)'
        $bstr = [Runtime.InteropServices.Marshal]::SecureStringToBSTR($secure)
        try {
            $token = [Runtime.InteropServices.Marshal]::PtrToStringBSTR($bstr)
        } finally {
            [Runtime.InteropServices.Marshal]::ZeroFreeBSTR($bstr)
        }
    }
    if ($token -notmatch '^lke_\S+$') {
        throw 'That is not an enrollment token: those start with lke_ (lockkeeper token create --name NAME).'
    }
    return $token
}

function Invoke-Enrollment($Config, [string] $Token) {
    $computer = Get-ComputerFqdn (Get-ComputerSystem)
    $answer = Invoke-LockkeeperApi $Config '/api/v1/devices/enroll' $Token (New-EnrollBody $computer (Get-HardwareId))
    if ($answer.Status -ne 200 -and $answer.Status -ne 201 -and $answer.Status -ne 202) {
        throw "enrollment refused: $(Format-Answer $answer)"
    }
    $credential = "$(Get-Field $answer.Json 'credential')"
    if ($credential -notmatch '^lkd_\S+$') { throw "the server's answer holds no device credential: $(Format-Answer $answer)" }
    return [pscustomobject]@{
        Credential = $credential
        Status     = "$(Get-Field $answer.Json 'status')"
        DeviceId   = "$(Get-Field $answer.Json 'deviceId')"
        Computer   = $computer
    }
}

function Register-ClientTask {
    $arguments = '-NoProfile -NonInteractive -ExecutionPolicy Bypass -File "{0}"' -f $InstalledScript
    $action = New-ScheduledTaskAction -Execute $PowerShellExe -Argument $arguments -WorkingDirectory $ClientFolder -ErrorAction Stop
    $atStartup = New-ScheduledTaskTrigger -AtStartup -RandomDelay (New-TimeSpan -Minutes 10) -ErrorAction Stop
    $everyFourHours = New-ScheduledTaskTrigger -Daily -At '00:00' -RandomDelay (New-TimeSpan -Minutes 30) -ErrorAction Stop
    $everyFourHours.Repetition = (New-ScheduledTaskTrigger -Once -At '00:00' -RepetitionInterval (New-TimeSpan -Hours 4) -RepetitionDuration (New-TimeSpan -Days 1) -ErrorAction Stop).Repetition
    $principal = New-ScheduledTaskPrincipal -UserId 'SYSTEM' -LogonType ServiceAccount -RunLevel Highest -ErrorAction Stop
    $settings = New-ScheduledTaskSettingsSet -AllowStartIfOnBatteries -DontStopIfGoingOnBatteries -StartWhenAvailable `
        -ExecutionTimeLimit (New-TimeSpan -Minutes 30) -MultipleInstances IgnoreNew -ErrorAction Stop
    Register-ScheduledTask -TaskName $TaskName -Action $action -Trigger @($atStartup, $everyFourHours) -Principal $principal `
        -Settings $settings -Description "Lockkeeper client $ClientVersion: BitLocker recovery password escrow" -Force -ErrorAction Stop | Out-Null
}

function Install-LockkeeperClient {
    Enable-Tls12
    $serverUrl = ConvertTo-ServerUrl $Server ([bool] $AllowInsecureHttp)
    $fingerprint = if ($CertificateSha256) { ConvertTo-Fingerprint $CertificateSha256 } else { $null }
    Assert-PinningSupported $fingerprint
    if ($Proxy) {
        $proxyUri = $null
        if (-not [Uri]::TryCreate($Proxy, [UriKind]::Absolute, [ref] $proxyUri)) { throw '-Proxy must be a URL like http://proxy.corp.example.com:8080' }
    }
    $token = Read-EnrollmentToken $EnrollmentTokenFile

    Initialize-ClientFolder
    $config = [ordered]@{
        server            = $serverUrl
        proxy             = if ($Proxy) { $Proxy } else { $null }
        certificateSha256 = $fingerprint
        allowInsecureHttp = [bool] $AllowInsecureHttp
    }
    Write-ClientFile $ConfigFile ($Utf8.GetBytes((ConvertTo-Json -InputObject $config)))

    $enrollment = Invoke-Enrollment $config $token
    Write-ClientFile $CredentialFile (Protect-Credential $enrollment.Credential)
    Write-Log Info "enrolled $($enrollment.Computer) as device $($enrollment.DeviceId) ($($enrollment.Status))"

    $oldToken = Join-Path $ClientFolder 'token'
    if (Test-Path -LiteralPath $oldToken) { Remove-Item -LiteralPath $oldToken -Force }
    if ($PSCommandPath -ne $InstalledScript) {
        Write-ClientFile $InstalledScript ([IO.File]::ReadAllBytes($PSCommandPath))
    }
    try {
        if (-not [Diagnostics.EventLog]::SourceExists($EventLogSource)) {
            New-EventLog -LogName Application -Source $EventLogSource -ErrorAction Stop
        }
    } catch {
        Write-Warning "No event log source '$EventLogSource' ($($_.Exception.Message)): warnings and errors go to $LogFile only."
    }
    Register-ClientTask
    $problem = Get-ClientFolderProblem
    if ($problem) { throw "$problem after the install: check who else changes $ClientFolder" }

    Write-Output "Enrolled $($enrollment.Computer) with $serverUrl (device $($enrollment.DeviceId), $($enrollment.Status))."
    if ($enrollment.Status -eq 'pending') {
        Write-Output "The server holds this device for an administrator: lockkeeper device approve, or the admin's Devices page."
    }
    Write-Output "Registered the scheduled task '$TaskName' (SYSTEM, at startup and every 4 hours); it runs now once."
    Write-Output "Log: $LogFile"
    Start-ScheduledTask -TaskName $TaskName -ErrorAction Stop
}

function Uninstall-LockkeeperClient {
    if (Get-ScheduledTask -TaskName $TaskName -ErrorAction SilentlyContinue) {
        Unregister-ScheduledTask -TaskName $TaskName -Confirm:$false -ErrorAction Stop
        Write-Output "Removed the scheduled task '$TaskName'."
    }
    if (Test-Path -LiteralPath $ClientFolder) {
        Remove-Item -LiteralPath $ClientFolder -Recurse -Force
        Write-Output "Removed $ClientFolder (the device credential, configuration, state and logs)."
    }
    try {
        if ([Diagnostics.EventLog]::SourceExists($EventLogSource)) {
            Remove-EventLog -Source $EventLogSource -ErrorAction Stop
        }
    } catch {
        Write-Warning "The event log source '$EventLogSource' stays: $($_.Exception.Message)"
    }
    Write-Output 'The server still lists this device: revoke it there (lockkeeper device revoke) if the computer leaves for good.'
}

function Invoke-LockkeeperRun {
    Assert-ClientFolder
    Enable-Tls12
    $run = [pscustomobject]@{
        Config           = Read-Config
        Credential       = Read-Credential
        State            = Read-State
        ComputerSystem   = Get-ComputerSystem
        Computer         = $null
        Volumes          = @()
        VolumesRead      = $false
        ProtectorCreated = $null
        ProtectionMode   = $null
        PcrProfile       = $null
        FirmwareVersion  = $null
    }
    $run.Computer = Get-ComputerFqdn $run.ComputerSystem
    Write-Log Info "run of client $ClientVersion on $($run.Computer)"

    Invoke-Step 'reading the BitLocker volumes' {
        $run.Volumes = @(Get-EncryptedVolumes $run)
        $run.VolumesRead = $true
        Save-State $run.State
    } | Out-Null
    if ($run.VolumesRead) {
        Invoke-Step 'escrow' { Invoke-Escrows $run } | Out-Null
        $checkin = Invoke-Step 'check-in' { Send-Checkin $run }
        if ($checkin) {
            $changed = Invoke-Step 'actions' { Invoke-Actions $run $checkin }
            if ($changed -eq $true) {
                Invoke-Step 'check-in after the changes' { Send-Checkin $run } | Out-Null
            }
        }
    }
    Invoke-Step 'recovery events' { Send-RecoveryEvents $run } | Out-Null
    Write-Log Info "run finished, $($script:FailedSteps) step(s) failed"
}

switch ($PSCmdlet.ParameterSetName) {
    'Install' { Install-LockkeeperClient }
    'Uninstall' { Uninstall-LockkeeperClient }
    default {
        try {
            Invoke-LockkeeperRun
        } catch {
            $script:FailedSteps++
            Write-Log Error "the run stopped: $($_.Exception.Message)"
        }
        if ($script:FailedSteps -gt 0) { exit 1 }
    }
}
