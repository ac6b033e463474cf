<#
.SYNOPSIS
    Lockkeeper client for Windows: escrows BitLocker recovery passwords, checks in, carries out
    what the server asks (rotate a disclosed recovery password, escrow a missing one) and reports
    recovery events from the BitLocker event logs.

.DESCRIPTION
    Run as SYSTEM by a scheduled task (see -Install). Each run:
      1. escrows every recovery password protector not escrowed yet   (POST /api/v1/escrow)
      2. checks in with its volumes and protector IDs                  (POST /api/v1/checkin)
      3. follows the answer's actions:
           rotate  Add-BitLockerKeyProtector -RecoveryPasswordProtector, escrow the new
                   protector, and only once the server stored it, Remove-BitLockerKeyProtector
                   the old one (the server retires the old key at the next check-in)
           escrow  sends that protector
      4. checks in again when it changed anything, so the server sees the result at once
      5. reports new recovery events                                   (POST /api/v1/events)
    The JSON it sends is documented in docs/device-api.md; examples/ holds one of each.
    The enrollment token is read from a file only SYSTEM and Administrators can read; it is
    never passed on a command line.

.EXAMPLE
    # Once, as Administrator: store the token and register the scheduled task.
    .\Lockkeeper-Client.ps1 -Install -Server https://lockkeeper.corp.example.com -TokenFile C:\ProgramData\Lockkeeper\token

.EXAMPLE
    # What the scheduled task runs.
    .\Lockkeeper-Client.ps1 -Server https://lockkeeper.corp.example.com -TokenFile C:\ProgramData\Lockkeeper\token
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory = $true)] [string] $Server,
    [string] $TokenFile = "$env:ProgramData\Lockkeeper\token",
    [string] $StateFile = "$env:ProgramData\Lockkeeper\state.json",
    [switch] $Install
)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

# The BitLocker events the server reads: 24652 in the System log (recovery password used to
# start Windows); 782/805 unlocked (805: in Windows RE), 521/522/523 PCR mismatch, boot
# application changed, BCD changed, 530 locked out, in BitLocker Management.
$DriverEvents = @{ LogName = 'System'; ProviderName = 'BitLocker-Driver'; Id = 24652 }
$ApiEvents = @{ LogName = 'Microsoft-Windows-BitLocker/BitLocker Management'; Id = 782, 805, 521, 522, 523, 530 }

function Install-LockkeeperTask {
    $dir = Split-Path -Parent $TokenFile
    New-Item -ItemType Directory -Force -Path $dir | Out-Null
    if (-not (Test-Path $TokenFile)) {
        $secure = Read-Host -AsSecureString 'Enrollment token (lke_...)'
        $plain = [Runtime.InteropServices.Marshal]::PtrToStringBSTR([Runtime.InteropServices.Marshal]::SecureStringToBSTR($secure))
        Set-Content -Path $TokenFile -Value $plain -NoNewline -Encoding ascii
    }
    # Only SYSTEM and Administrators may read the token.
    $acl = New-Object Security.AccessControl.DirectorySecurity
    $acl.SetAccessRuleProtection($true, $false)
    foreach ($who in 'NT AUTHORITY\SYSTEM', 'BUILTIN\Administrators') {
        $acl.AddAccessRule((New-Object Security.AccessControl.FileSystemAccessRule($who, 'FullControl', 'ContainerInherit,ObjectInherit', 'None', 'Allow')))
    }
    Set-Acl -Path $dir -AclObject $acl
    Copy-Item -Path $PSCommandPath -Destination (Join-Path $dir 'Lockkeeper-Client.ps1') -Force
    $arguments = "-NoProfile -ExecutionPolicy Bypass -File `"$(Join-Path $dir 'Lockkeeper-Client.ps1')`" -Server `"$Server`" -TokenFile `"$TokenFile`""
    $action = New-ScheduledTaskAction -Execute 'powershell.exe' -Argument $arguments
    $triggers = @(
        (New-ScheduledTaskTrigger -AtStartup),
        (New-ScheduledTaskTrigger -Once -At (Get-Date) -RepetitionInterval (New-TimeSpan -Hours 4))
    )
    $principal = New-ScheduledTaskPrincipal -UserId 'SYSTEM' -LogonType ServiceAccount -RunLevel Highest
    $settings = New-ScheduledTaskSettingsSet -StartWhenAvailable -RandomDelay (New-TimeSpan -Minutes 30)
    Register-ScheduledTask -TaskName 'Lockkeeper client' -Action $action -Trigger $triggers -Principal $principal `
        -Settings $settings -Force | Out-Null
    Write-Output "Registered the scheduled task 'Lockkeeper client' (at startup and every 4 hours, as SYSTEM)."
}

function Invoke-Lockkeeper([string] $Path, $Body) {
    $token = (Get-Content -Path $TokenFile -Raw).Trim()
    $json = $Body | ConvertTo-Json -Depth 6 -Compress
    try {
        return Invoke-RestMethod -Method Post -Uri ($Server.TrimEnd('/') + $Path) -ContentType 'application/json' `
            -Headers @{ Authorization = "Bearer $token" } -Body ([Text.Encoding]::UTF8.GetBytes($json))
    } catch {
        # problem+json names the field; never log the body, it may hold a recovery password.
        $detail = $_.ErrorDetails.Message
        throw "Lockkeeper $Path failed: $($_.Exception.Message) $detail"
    }
}

function Get-ComputerFqdn {
    $cs = Get-CimInstance -ClassName Win32_ComputerSystem
    if ($cs.PartOfDomain) { return "$($cs.DNSHostName).$($cs.Domain)" }
    return $env:COMPUTERNAME
}

function Get-VolumeGuid($Volume) {
    # "\\?\Volume{5f0f4e4c-...}\" -> "5f0f4e4c-..."
    $win32 = Get-CimInstance -ClassName Win32_Volume | Where-Object { $_.DriveLetter -eq $Volume.MountPoint -or $_.Name -eq $Volume.MountPoint }
    if ($win32 -and $win32.DeviceID -match '\{([0-9a-fA-F-]{36})\}') { return $Matches[1] }
    throw "cannot find the volume GUID of $($Volume.MountPoint)"
}

function Get-DriveLabel($Volume) {
    # The label the recovery screen shows: computer name, drive letter, date BitLocker was enabled.
    return "$env:COMPUTERNAME $($Volume.MountPoint) $(Get-Date -Format 'MM/dd/yyyy')"
}

function Get-EncryptedVolumes {
    Get-BitLockerVolume | Where-Object { $_.VolumeStatus -ne 'FullyDecrypted' }
}

function Get-RecoveryPasswordProtectors($Volume) {
    @($Volume.KeyProtector | Where-Object { $_.KeyProtectorType -eq 'RecoveryPassword' })
}

function Send-Escrow($Volume, $Protector) {
    Invoke-Lockkeeper '/api/v1/escrow' ([ordered]@{
        computer           = Get-ComputerFqdn
        volumeId           = Get-VolumeGuid $Volume
        volumeType         = "$($Volume.VolumeType)"
        driveLabel         = Get-DriveLabel $Volume
        recoveryPasswordId = $Protector.KeyProtectorId
        recoveryPassword   = $Protector.RecoveryPassword
    }) | Out-Null
}

function Get-CheckinBody {
    $volumes = foreach ($volume in Get-EncryptedVolumes) {
        [ordered]@{
            volumeId            = Get-VolumeGuid $volume
            volumeType          = "$($volume.VolumeType)"
            driveLabel          = Get-DriveLabel $volume
            protectionStatus    = "$($volume.ProtectionStatus)"
            encryptionMethod    = "$($volume.EncryptionMethod)"
            keyProtectors       = @($volume.KeyProtector | ForEach-Object { "$($_.KeyProtectorType)" } | Select-Object -Unique)
            recoveryPasswordIds = @(Get-RecoveryPasswordProtectors $volume | ForEach-Object { $_.KeyProtectorId })
        }
    }
    return [ordered]@{ computer = Get-ComputerFqdn; volumes = @($volumes) }
}

function Invoke-Actions($Actions) {
    $changed = $false
    foreach ($action in $Actions) {
        $volume = Get-EncryptedVolumes | Where-Object { (Get-VolumeGuid $_) -eq $action.volumeId }
        if (-not $volume) { continue }
        $old = Get-RecoveryPasswordProtectors $volume | Where-Object { $_.KeyProtectorId -eq $action.recoveryPasswordId }
        if (-not $old) { continue }
        if ($action.type -eq 'escrow') {
            Send-Escrow $volume $old
            $changed = $true
        } elseif ($action.type -eq 'rotate') {
            $before = @(Get-RecoveryPasswordProtectors $volume | ForEach-Object { $_.KeyProtectorId })
            Add-BitLockerKeyProtector -MountPoint $volume.MountPoint -RecoveryPasswordProtector | Out-Null
            $volume = Get-BitLockerVolume -MountPoint $volume.MountPoint
            $new = Get-RecoveryPasswordProtectors $volume | Where-Object { $before -notcontains $_.KeyProtectorId }
            # Escrow first: if it fails, the throw leaves the old protector in place for the next run.
            Send-Escrow $volume $new
            Remove-BitLockerKeyProtector -MountPoint $volume.MountPoint -KeyProtectorId $old.KeyProtectorId | Out-Null
            $changed = $true
        }
    }
    return $changed
}

function Get-RecoveryEvents($LastRecordIds) {
    $events = @()
    foreach ($filter in $DriverEvents, $ApiEvents) {
        $log = $filter.LogName
        $last = if ($LastRecordIds.PSObject.Properties[$log]) { [long]$LastRecordIds.$log } else { 0 }
        $found = Get-WinEvent -FilterHashtable $filter -ErrorAction SilentlyContinue | Where-Object { $_.RecordId -gt $last }
        foreach ($event in $found) {
            $xml = [xml]$event.ToXml()
            $data = @{}
            foreach ($item in $xml.Event.EventData.Data) { $data[$item.Name] = $item.'#text' }
            $entry = [ordered]@{
                time     = $event.TimeCreated.ToUniversalTime().ToString('yyyy-MM-ddTHH:mm:ssZ')
                source   = if ($event.Id -eq 24652) { 'BitLocker-Driver' } else { 'BitLocker-API' }
                eventId  = $event.Id
                recordId = $event.RecordId
                message  = ($event.Message -split "`r?`n")[0]
            }
            if ($data['VolumeName'] -match '\{([0-9a-fA-F-]{36})\}') { $entry.volumeId = $Matches[1] }
            if ($data['ProtectorGUID']) { $entry.recoveryPasswordId = $data['ProtectorGUID'] }
            if ($event.Id -eq 24652) { $entry.unlockedBy = 'RecoveryPassword' }
            $os = Get-BitLockerVolume -MountPoint $env:SystemDrive
            $mode = ($os.KeyProtector | Where-Object { $_.KeyProtectorType -like 'Tpm*' -or $_.KeyProtectorType -eq 'ExternalKey' } |
                Select-Object -First 1).KeyProtectorType
            if ($mode) { $entry.protectionMode = if ("$mode" -eq 'ExternalKey') { 'StartupKey' } else { "$mode" } }
            $entry.firmwareVersion = (Get-CimInstance -ClassName Win32_BIOS).SMBIOSBIOSVersion
            $events += $entry
            if (-not $LastRecordIds.PSObject.Properties[$log] -or $event.RecordId -gt [long]$LastRecordIds.$log) {
                $LastRecordIds | Add-Member -NotePropertyName $log -NotePropertyValue $event.RecordId -Force
            }
        }
    }
    return ,$events
}

if ($Install) {
    Install-LockkeeperTask
    return
}

# 1. Escrow what the server may not have yet (it answers 200 for what it has).
foreach ($volume in Get-EncryptedVolumes) {
    foreach ($protector in Get-RecoveryPasswordProtectors $volume) {
        Send-Escrow $volume $protector
    }
}

# 2-4. Check in, follow the actions, confirm.
$answer = Invoke-Lockkeeper '/api/v1/checkin' (Get-CheckinBody)
if (Invoke-Actions $answer.actions) {
    Invoke-Lockkeeper '/api/v1/checkin' (Get-CheckinBody) | Out-Null
}

# 5. Recovery events since the last run (the server ignores repeats).
$state = if (Test-Path $StateFile) { Get-Content $StateFile -Raw | ConvertFrom-Json } else { [pscustomobject]@{} }
$events = Get-RecoveryEvents $state
if ($events.Count -gt 0) {
    for ($i = 0; $i -lt $events.Count; $i += 200) {
        $batch = $events[$i..([Math]::Min($i + 199, $events.Count - 1))]
        Invoke-Lockkeeper '/api/v1/events' ([ordered]@{ computer = Get-ComputerFqdn; events = @($batch) }) | Out-Null
    }
    $state | ConvertTo-Json | Set-Content -Path $StateFile -Encoding utf8
}
