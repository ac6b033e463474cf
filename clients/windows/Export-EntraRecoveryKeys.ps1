<#
.SYNOPSIS
    Exports the BitLocker recovery keys Entra ID holds, for `lockkeeper import entra`.

.DESCRIPTION
    Reads every BitLocker recovery key of the tenant with the Microsoft Graph PowerShell SDK and
    writes them, with each device's display name, as a JSON array:

        [{ "id": "...", "createdDateTime": "...", "volumeType": "1", "deviceId": "...",
           "key": "...", "displayName": "LAPTOP-01" }, ...]

    id              the recovery password ID (the protector ID BitLocker shows)
    volumeType      1 operating system volume, 2 fixed data volume, 3 removable data volume
    deviceId        the Entra device ID (deviceId, not the directory object's id)
    key             the 48-digit recovery password
    displayName     the device's name, which Lockkeeper takes as the computer name

    Graph gives recovery keys only to a signed-in user (delegated permission): application
    permissions cannot read the key property. The user needs BitLockerKey.Read.All and
    Device.Read.All consented, and one of the Entra roles the Graph documentation lists (Cloud
    device administrator, Helpdesk administrator, Intune service administrator, Security
    administrator, Security reader, Global reader). Entra ID audits every key read
    (KeyManagement category).

    The output file holds recovery passwords in clear: write it to an encrypted disk, import it
    at once, then delete it.

.PARAMETER OutFile
    The JSON file to write (UTF-8, no byte order mark).

.PARAMETER TenantId
    The tenant to sign in to (optional).

.EXAMPLE
    Install-Module Microsoft.Graph.Authentication, Microsoft.Graph.Identity.SignIns, Microsoft.Graph.Identity.DirectoryManagement -Scope CurrentUser
    .\Export-EntraRecoveryKeys.ps1 -OutFile D:\entra-keys.json
    lockkeeper import entra D:\entra-keys.json
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $OutFile,
    [string] $TenantId
)

$ErrorActionPreference = 'Stop'
Import-Module Microsoft.Graph.Authentication
Import-Module Microsoft.Graph.Identity.SignIns              # Get-MgInformationProtectionBitlockerRecoveryKey
Import-Module Microsoft.Graph.Identity.DirectoryManagement  # Get-MgDevice

$connect = @{ Scopes = @('BitLockerKey.Read.All', 'Device.Read.All'); NoWelcome = $true }
if ($TenantId) { $connect.TenantId = $TenantId }
Connect-MgGraph @connect

$names = @{}
function Get-DeviceName([string] $deviceId) {
    if (-not $names.ContainsKey($deviceId)) {
        $device = Get-MgDevice -Filter "deviceId eq '$deviceId'" -Property displayName -Top 1
        $names[$deviceId] = if ($device) { $device.DisplayName } else { $null }
        if (-not $device) { Write-Warning "device $deviceId is gone from Entra ID: its keys have no displayName; put the computer's name in the file before importing" }
    }
    $names[$deviceId]
}

$records = New-Object System.Collections.Generic.List[object]
$list = Get-MgInformationProtectionBitlockerRecoveryKey -All
$done = 0
foreach ($item in $list) {
    # The list never carries the key; each key is read on its own ($select=key), and audited by Entra ID.
    $key = Get-MgInformationProtectionBitlockerRecoveryKey -BitlockerRecoveryKeyId $item.Id -Property key
    $records.Add([ordered]@{
        id              = $item.Id
        createdDateTime = $item.CreatedDateTime.ToUniversalTime().ToString('yyyy-MM-ddTHH:mm:ssZ')
        volumeType      = [string] $item.VolumeType
        deviceId        = $item.DeviceId
        key             = $key.Key
        displayName     = Get-DeviceName $item.DeviceId
    })
    $done++
    Write-Progress -Activity 'Reading BitLocker recovery keys' -Status "$done of $($list.Count)" -PercentComplete ($done * 100 / [Math]::Max($list.Count, 1))
}

$json = ConvertTo-Json -InputObject @($records) -Depth 3
[System.IO.File]::WriteAllText($OutFile, $json, (New-Object System.Text.UTF8Encoding $false))
Write-Host "$($records.Count) key(s) written to $OutFile; import them with: lockkeeper import entra $OutFile"
Disconnect-MgGraph | Out-Null
