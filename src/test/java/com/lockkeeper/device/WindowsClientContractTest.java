package com.lockkeeper.device;

import static org.assertj.core.api.Assertions.assertThat;

import com.lockkeeper.escrow.EscrowRequest;
import java.io.IOException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What can be checked of the PowerShell client without Windows: the script is read as text and
 * held to the device API (the request records' fields, the events the server reads), to the
 * BitLocker facts it depends on, and to the rules that keep it safe unattended. Each check is
 * shown to fail on a copy of the script with the fault it looks for.
 */
class WindowsClientContractTest {

    static final Path SCRIPT = Path.of("clients", "windows", "Lockkeeper-Client.ps1");
    static final Path EXAMPLES = ClientExamplesTest.EXAMPLES;
    static final String VERIFIERS = "recoveryPasswordVerifiers";
    static final List<String> CALLS_THAT_MUST_STOP = List.of("Get-BitLockerVolume", "Add-BitLockerKeyProtector",
            "Remove-BitLockerKeyProtector", "Get-WinEvent", "Get-CimInstance", "Invoke-CimMethod");
    static final String DRIVER_PROVIDER = "Microsoft-Windows-BitLocker-Driver";
    static final String API_PROVIDER = "Microsoft-Windows-BitLocker-API";
    static final String MANAGEMENT_LOG = "Microsoft-Windows-BitLocker/BitLocker Management";

    static final JsonMapper JSON = JsonMapper.builder().build();

    // ---------------------------------------------------------------------------------------
    // The script as it is
    // ---------------------------------------------------------------------------------------

    @Test
    void everyBitLockerEventLogAndCimCallStopsOnError() throws IOException {
        assertThat(callsWithoutErrorActionStop(script())).isEmpty();
    }

    @Test
    void theEventsItReadsAreTheOnesTheServerReadsFromTheRightProvidersAndLogs() throws IOException {
        assertThat(eventQueryProblems(script())).isEmpty();
    }

    @Test
    void nothingAsksForInputOutsideTheInstall() throws IOException {
        assertThat(promptProblems(script())).isEmpty();
    }

    @Test
    void tls12IsTurnedOnAndTheRequirementsAreDeclared() throws IOException {
        assertThat(tlsAndRequirementProblems(script())).isEmpty();
    }

    @Test
    void theJsonFieldsItSendsAreTheDeviceApiRequestFields() throws IOException {
        assertThat(fieldProblems(script())).isEmpty();
    }

    @Test
    void volumesAreNamedByBitLockersOwnGuidAndTyped() throws IOException {
        assertThat(volumeIdentityProblems(script())).isEmpty();
    }

    @Test
    void theScheduledTaskIsRegisteredAsDocumented() throws IOException {
        assertThat(scheduledTaskProblems(script())).isEmpty();
    }

    @Test
    void theExamplesHoldTheFieldsTheScriptBuilds() throws IOException {
        assertThat(exampleProblems(script())).isEmpty();
    }

    @Test
    void theCheckinExamplesVerifierIsTheOneOfTheEscrowExamplesPassword() throws IOException {
        JsonNode escrow = JSON.readTree(Files.readString(EXAMPLES.resolve("escrow.json")));
        JsonNode checkin = JSON.readTree(Files.readString(EXAMPLES.resolve("checkin.json")));
        String protector = escrow.path("recoveryPasswordId").asString();
        String volume = escrow.path("volumeId").asString();
        JsonNode reported = null;
        for (JsonNode entry : checkin.path("volumes")) {
            if (entry.path("volumeId").asString().equals(volume)) {
                reported = entry;
            }
        }
        assertThat(reported).as("the escrowed volume in the check-in example").isNotNull();
        List<JsonNode> verifiers = new ArrayList<>();
        reported.path(VERIFIERS).forEach(verifiers::add);
        assertThat(verifiers).hasSize(1);
        assertThat(verifiers.get(0).path("recoveryPasswordId").asString()).isEqualTo(protector);
        assertThat(verifiers.get(0).path("verifier").asString())
                .isEqualTo(verifier(protector, volume, escrow.path("recoveryPassword").asString()));
    }

    @Test
    void theVerifierFollowsTheDeviceApiFormula() {
        // Spelled out once by hand: P upper-case hex without braces or dashes, V lower case with dashes.
        String expectedInput = "lockkeeper/v1/recovery-password/4D3C2B1A8F7E4A6B9C0D112233445566/5f0f4e4c-3c1f-4b7a-9d55-0a2d7c1c9e11";
        byte[] key = keyBytes("000011-000022-000033-000044-000055-000066-000077-720885");
        assertThat(HexFormat.of().formatHex(key)).isEqualTo("01000200030004000500060007" + "00ffff");
        assertThat(verifier("{4d3c2b1a-8f7e-4a6b-9c0d-112233445566}", "5F0F4E4C-3C1F-4B7A-9D55-0A2D7C1C9E11",
                "000011-000022-000033-000044-000055-000066-000077-720885"))
                .isEqualTo(sha256Hex(concat(expectedInput.getBytes(StandardCharsets.UTF_8), new byte[] {0}, key)));
    }

    // ---------------------------------------------------------------------------------------
    // Each check fails on the fault it looks for
    // ---------------------------------------------------------------------------------------

    @Test
    void aBitLockerCallWithoutErrorActionStopIsReportedWithItsLine() throws IOException {
        String script = script();
        String line = lineContaining(script, "Add-BitLockerKeyProtector -MountPoint");
        String mutated = script.replace(line, line.replace(" -ErrorAction Stop", ""));
        assertThat(callsWithoutErrorActionStop(mutated)).singleElement().asString()
                .contains("Add-BitLockerKeyProtector").contains("line " + lineNumber(script, line));

        String winEvent = lineContaining(script, "$records = @(Get-WinEvent");
        assertThat(callsWithoutErrorActionStop(script.replace(winEvent, winEvent.replace(" -ErrorAction Stop", ""))))
                .singleElement().asString().contains("Get-WinEvent");
        String cim = lineContaining(script, "$result = Invoke-CimMethod");
        assertThat(callsWithoutErrorActionStop(script.replace(cim, cim.replace(" -ErrorAction Stop", ""))))
                .singleElement().asString().contains("Invoke-CimMethod");
        // Outside the call's parentheses it does not count.
        String product = lineContaining(script, "Get-CimInstance -ClassName Win32_ComputerSystemProduct");
        assertThat(callsWithoutErrorActionStop(script.replace(product,
                product.replace(" -ErrorAction Stop).UUID", ").UUID -ErrorAction Stop")))).hasSize(1);
    }

    @Test
    void aWrongProviderLogOrEventIdIsReported() throws IOException {
        String script = script();
        assertThat(eventQueryProblems(script.replace("ProviderName = '" + DRIVER_PROVIDER + "'", "ProviderName = 'BitLocker-Driver'")))
                .anySatisfy(problem -> assertThat(problem).contains("24652").contains(DRIVER_PROVIDER));
        assertThat(eventQueryProblems(script.replace("Id = @(782, 805,", "Id = @(783, 805,")))
                .anySatisfy(problem -> assertThat(problem).contains("782"));
        assertThat(eventQueryProblems(script.replace("LogName = '" + MANAGEMENT_LOG + "'", "LogName = 'Application'")))
                .anySatisfy(problem -> assertThat(problem).contains(MANAGEMENT_LOG));
        String read = lineContaining(script, "$data[$name] = $item.InnerText");
        assertThat(eventQueryProblems(script.replace(read, read + "\n$protector = $record.Properties[4].Value")))
                .anySatisfy(problem -> assertThat(problem).contains("by position"));
    }

    @Test
    void aPromptOnTheUnattendedPathIsReported() throws IOException {
        String script = script();
        String run = lineContaining(script, "function Invoke-LockkeeperRun {");
        assertThat(promptProblems(script.replace(run, run + "\n    $answer = Read-Host 'Server'")))
                .singleElement().asString().contains("Read-Host").contains("Invoke-LockkeeperRun");
        String escrow = lineContaining(script, "function Send-Escrow(");
        assertThat(promptProblems(script.replace(escrow, escrow + "\n    $token = Read-EnrollmentToken $null")))
                .singleElement().asString().contains("Read-EnrollmentToken").contains("Send-Escrow");
    }

    @Test
    void aMissingTlsSettingOrRequirementIsReported() throws IOException {
        String script = script();
        String tls = lineContaining(script, "[Net.ServicePointManager]::SecurityProtocol =");
        assertThat(tlsAndRequirementProblems(script.replace(tls, ""))).singleElement().asString().contains("TLS 1.2");
        assertThat(tlsAndRequirementProblems(script.replace("#Requires -RunAsAdministrator\n", "")))
                .singleElement().asString().contains("#Requires -RunAsAdministrator");
        assertThat(tlsAndRequirementProblems(script.replace("#Requires -Version 5.1", "#Requires -Version 3.0")))
                .singleElement().asString().contains("#Requires -Version 5.1");
    }

    @Test
    void aFieldNameTheServerDoesNotHaveIsReported() throws IOException {
        String script = script();
        assertThat(fieldProblems(script.replace("hardwareId    = $HardwareId", "hardwareID    = $HardwareId")))
                .singleElement().asString().contains("New-EnrollBody").contains("hardwareID");
        assertThat(fieldProblems(script.replace("recoveryPasswordId = $Protector.Id\n        recoveryPassword   =",
                "passwordId         = $Protector.Id\n        recoveryPassword   =")))
                .singleElement().asString().contains("New-EscrowBody").contains("passwordId");
        assertThat(fieldProblems(script.replace("$entry['pcrProfile']", "$entry['pcrProfiles']")))
                .singleElement().asString().contains("New-EventEntry").contains("pcrProfiles");
    }

    @Test
    void aMountManagerVolumeIdIsReported() throws IOException {
        String script = script();
        String persistent = lineContaining(script, "$persistentId = \"$(Get-Field $Instance 'PersistentVolumeID')\"");
        String mutated = script.replace(persistent,
                "    $persistentId = (Get-CimInstance -ClassName Win32_Volume -ErrorAction Stop | Select-Object -First 1).DeviceID");
        assertThat(volumeIdentityProblems(mutated)).anySatisfy(problem -> assertThat(problem).contains("Win32_Volume"));
        assertThat(volumeIdentityProblems(script.replace("Get-Field $Instance 'VolumeType'", "Get-Field $Instance 'DriveType'")))
                .anySatisfy(problem -> assertThat(problem).contains("VolumeType"));
    }

    @Test
    void aRandomDelayOnTheSettingsOrAShortPowerShellPathIsReported() throws IOException {
        String script = script();
        assertThat(scheduledTaskProblems(script.replace("-MultipleInstances IgnoreNew -ErrorAction Stop",
                "-MultipleInstances IgnoreNew -RandomDelay (New-TimeSpan -Minutes 30) -ErrorAction Stop")))
                .singleElement().asString().contains("-RandomDelay");
        assertThat(scheduledTaskProblems(script.replace("-Execute $PowerShellExe", "-Execute 'powershell.exe'")))
                .singleElement().asString().contains("powershell.exe");
        assertThat(scheduledTaskProblems(script.replace("-DontStopIfGoingOnBatteries ", "")))
                .singleElement().asString().contains("-DontStopIfGoingOnBatteries");
    }

    // ---------------------------------------------------------------------------------------
    // The checks: each answers the problems it finds, empty when there are none
    // ---------------------------------------------------------------------------------------

    /** Each BitLocker, event log and CIM call, up to its end (pipe, semicolon, closing parenthesis), says -ErrorAction Stop. */
    static List<String> callsWithoutErrorActionStop(String text) {
        Script script = new Script(text);
        Pattern call = Pattern.compile("(?<![\\w-])(" + String.join("|", CALLS_THAT_MUST_STOP) + ")(?![\\w-])");
        List<String> problems = new ArrayList<>();
        for (Script.Line line : script.statements()) {
            Matcher m = call.matcher(line.code());
            while (m.find()) {
                String rest = callExtent(line.code().substring(m.end()));
                if (!rest.matches("(?s).*-ErrorAction\\s+Stop\\b.*")) {
                    problems.add("line " + line.number() + ": " + m.group(1) + " without -ErrorAction Stop");
                }
            }
        }
        return problems;
    }

    /** The event queries: the server's event IDs, each from its provider, 782/805 from BitLocker Management, data by name. */
    static List<String> eventQueryProblems(String text) {
        Script script = new Script(text);
        Pattern query = Pattern.compile("@\\{ LogName = '([^']+)'; ProviderName = '([^']+)'; Id = @\\(([0-9, ]+)\\); Source = '([^']+)' }");
        Map<String, Set<Integer>> read = new TreeMap<>();
        Map<Integer, Set<String>> logsOf = new TreeMap<>();
        List<String> problems = new ArrayList<>();
        for (Script.Line line : script.statements()) {
            Matcher m = query.matcher(line.code());
            while (m.find()) {
                String log = m.group(1);
                String provider = m.group(2);
                String source = m.group(4);
                Set<Integer> ids = Arrays.stream(m.group(3).split(",")).map(String::trim).map(Integer::valueOf)
                        .collect(Collectors.toCollection(TreeSet::new));
                read.computeIfAbsent(source, s -> new TreeSet<>()).addAll(ids);
                ids.forEach(id -> logsOf.computeIfAbsent(id, i -> new TreeSet<>()).add(log));
                String expectedProvider = DeviceEventsRequest.DRIVER.equals(source) ? DRIVER_PROVIDER : API_PROVIDER;
                if (!provider.equals(expectedProvider)) {
                    problems.add("events " + ids + " of " + source + " are read from provider " + provider + ", not " + expectedProvider);
                }
                if (DeviceEventsRequest.DRIVER.equals(source) && !log.equals("System")) {
                    problems.add(DRIVER_PROVIDER + " events are in the System log, not " + log);
                }
            }
        }
        Map<String, Set<Integer>> expected = new TreeMap<>();
        DeviceEventsRequest.EVENT_IDS.forEach((source, ids) -> expected.put(source, new TreeSet<>(ids)));
        if (!read.equals(expected)) {
            problems.add("the script reads events " + read + ", the server reads " + expected);
        }
        for (int unlocked : List.of(782, 805)) {
            if (!logsOf.getOrDefault(unlocked, Set.of()).contains(MANAGEMENT_LOG)) {
                problems.add("event " + unlocked + " is not read from " + MANAGEMENT_LOG);
            }
        }
        for (Script.Line line : script.statements()) {
            if (line.code().matches("(?s).*\\.Properties\\[\\s*\\d.*")) {
                problems.add("line " + line.number() + " reads event data by position; read it by name from the event XML");
            }
        }
        if (!script.function("Read-EventData").contains("GetAttribute('Name')")) {
            problems.add("Read-EventData does not read the data items by their Name attribute");
        }
        return problems;
    }

    /** Read-Host only in Read-EnrollmentToken, which only the install calls, which only -Install runs. */
    static List<String> promptProblems(String text) {
        Script script = new Script(text);
        List<String> problems = new ArrayList<>();
        problems.addAll(onlyCalledFrom(script, "Read-Host", "Read-EnrollmentToken"));
        problems.addAll(onlyCalledFrom(script, "Read-EnrollmentToken", "Install-LockkeeperClient"));
        List<Script.Line> installs = script.occurrences("Install-LockkeeperClient").stream()
                .filter(line -> !line.code().startsWith("function ")).toList();
        if (installs.size() != 1 || !installs.get(0).code().trim().equals("'Install' { Install-LockkeeperClient }")) {
            problems.add("Install-LockkeeperClient must run only for the Install parameter set: " + installs);
        }
        return problems;
    }

    static List<String> tlsAndRequirementProblems(String text) {
        Script script = new Script(text);
        List<String> problems = new ArrayList<>();
        boolean tls = script.statements().stream().anyMatch(line -> line.code().matches(
                "\\s*\\[Net\\.ServicePointManager\\]::SecurityProtocol\\s*=.*\\[Net\\.SecurityProtocolType\\]::Tls12.*"));
        if (!tls || !script.function("Invoke-LockkeeperRun").contains("Enable-Tls12")
                || !script.function("Install-LockkeeperClient").contains("Enable-Tls12")) {
            problems.add("TLS 1.2 is not turned on ([Net.ServicePointManager]::SecurityProtocol) before every call");
        }
        for (String requirement : List.of("#Requires -Version 5.1", "#Requires -RunAsAdministrator")) {
            if (text.lines().noneMatch(line -> line.trim().equals(requirement))) {
                problems.add("no '" + requirement + "' line");
            }
        }
        return problems;
    }

    /** The fields each body builder sets, against the server's request records (or the device API where there is none yet). */
    static List<String> fieldProblems(String text) {
        Script script = new Script(text);
        List<String> problems = new ArrayList<>();
        same(problems, script, "New-EnrollBody", enrollFields());
        same(problems, script, "New-EscrowBody", components(EscrowRequest.class));
        same(problems, script, "New-CheckinBody", components(CheckinRequest.class));
        Set<String> volume = components(CheckinRequest.Volume.class);
        volume.add(VERIFIERS);
        same(problems, script, "New-CheckinVolume", volume);
        same(problems, script, "New-VerifierEntry", verifierFields());
        same(problems, script, "New-EventsBody", components(DeviceEventsRequest.class));
        Set<String> event = script.bodyFields("New-EventEntry");
        Set<String> unknown = new TreeSet<>(event);
        unknown.removeAll(components(DeviceEventsRequest.Event.class));
        if (!unknown.isEmpty()) {
            problems.add("New-EventEntry sends " + unknown + ", which DeviceEventsRequest.Event does not have");
        }
        if (!event.containsAll(List.of("time", "source", "eventId"))) {
            problems.add("New-EventEntry does not send time, source and eventId: " + event);
        }
        return problems;
    }

    static List<String> volumeIdentityProblems(String text) {
        Script script = new Script(text);
        List<String> problems = new ArrayList<>();
        for (Script.Line line : script.statements()) {
            if (line.code().matches("(?s).*\\bWin32_Volume\\b.*")) {
                problems.add("line " + line.number() + " uses Win32_Volume: the volume ID is Win32_EncryptableVolume.PersistentVolumeID");
            }
        }
        String read = script.function("Read-EncryptedVolume");
        if (!read.contains("Get-Field $Instance 'PersistentVolumeID'") || !read.contains("VolumeId         = Format-VolumeId $persistentId")) {
            problems.add("Read-EncryptedVolume does not name the volume by Win32_EncryptableVolume.PersistentVolumeID");
        }
        if (!read.contains("Get-Field $Instance 'VolumeType'")) {
            problems.add("Read-EncryptedVolume does not take the type from Win32_EncryptableVolume.VolumeType");
        }
        if (!text.contains("$VolumeTypeNames = @{ 0 = 'OperatingSystem'; 1 = 'FixedData'; 2 = 'RemovableData' }")) {
            problems.add("Win32_EncryptableVolume.VolumeType is 0 OperatingSystem, 1 FixedData, 2 RemovableData");
        }
        return problems;
    }

    static List<String> scheduledTaskProblems(String text) {
        Script script = new Script(text);
        List<String> problems = new ArrayList<>();
        String settings = script.statements().stream().map(Script.Line::code)
                .filter(code -> code.contains("New-ScheduledTaskSettingsSet")).findFirst().orElse("");
        if (settings.contains("-RandomDelay")) {
            problems.add("New-ScheduledTaskSettingsSet has no -RandomDelay (that is New-ScheduledTaskTrigger's)");
        }
        for (String option : List.of("-AllowStartIfOnBatteries", "-DontStopIfGoingOnBatteries", "-StartWhenAvailable", "-ExecutionTimeLimit")) {
            if (!settings.contains(option + " ")) {
                problems.add("New-ScheduledTaskSettingsSet lacks " + option);
            }
        }
        String register = script.function("Register-ClientTask");
        if (!register.contains("New-ScheduledTaskAction -Execute $PowerShellExe")
                || !text.contains("$PowerShellExe = Join-Path $env:SystemRoot 'System32\\WindowsPowerShell\\v1.0\\powershell.exe'")) {
            problems.add("the task must run powershell.exe by its full path under $env:SystemRoot");
        }
        if (!register.contains("'-NoProfile -NonInteractive -ExecutionPolicy Bypass -File \"{0}\"' -f $InstalledScript")) {
            problems.add("the task must run the installed copy with -NoProfile -NonInteractive -ExecutionPolicy Bypass -File");
        }
        if (!register.contains("New-ScheduledTaskPrincipal -UserId 'SYSTEM' -LogonType ServiceAccount")) {
            problems.add("the task must run as SYSTEM");
        }
        return problems;
    }

    /** Each example has exactly the fields the script builds (events and volumes: some of them). */
    static List<String> exampleProblems(String text) throws IOException {
        Script script = new Script(text);
        List<String> problems = new ArrayList<>();
        Function<String, JsonNode> example = name -> {
            try {
                return JSON.readTree(Files.readString(EXAMPLES.resolve(name)));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        };
        sameKeys(problems, "enroll.json", example.apply("enroll.json"), script.bodyFields("New-EnrollBody"));
        sameKeys(problems, "escrow.json", example.apply("escrow.json"), script.bodyFields("New-EscrowBody"));
        JsonNode checkin = example.apply("checkin.json");
        sameKeys(problems, "checkin.json", checkin, script.bodyFields("New-CheckinBody"));
        for (JsonNode volume : checkin.path("volumes")) {
            someKeys(problems, "checkin.json volume", volume, script.bodyFields("New-CheckinVolume"));
            for (JsonNode verifier : volume.path(VERIFIERS)) {
                sameKeys(problems, "checkin.json verifier", verifier, script.bodyFields("New-VerifierEntry"));
            }
        }
        JsonNode events = example.apply("events.json");
        sameKeys(problems, "events.json", events, script.bodyFields("New-EventsBody"));
        for (JsonNode event : events.path("events")) {
            someKeys(problems, "events.json event", event, script.bodyFields("New-EventEntry"));
        }
        Matcher version = Pattern.compile("\\$ClientVersion = '([^']+)'").matcher(text);
        if (!version.find() || !version.group(1).equals(example.apply("enroll.json").path("clientVersion").asString())) {
            problems.add("enroll.json's clientVersion is not the script's $ClientVersion");
        }
        return problems;
    }

    // ---------------------------------------------------------------------------------------
    // The verifier, as the device API defines it
    // ---------------------------------------------------------------------------------------

    /** SHA-256(UTF-8("lockkeeper/v1/recovery-password/" + P + "/" + V) || 0x00 || K), lowercase hex. */
    static String verifier(String protectorId, String volumeId, String recoveryPassword) {
        String p = protectorId.replace("{", "").replace("}", "").replace("-", "").toUpperCase(Locale.ROOT);
        String v = UUID.fromString(volumeId.replace("{", "").replace("}", "")).toString().toLowerCase(Locale.ROOT);
        byte[] prefix = ("lockkeeper/v1/recovery-password/" + p + "/" + v).getBytes(StandardCharsets.UTF_8);
        return sha256Hex(concat(prefix, new byte[] {0}, keyBytes(recoveryPassword)));
    }

    /** Block i divided by 11 is the little-endian 16-bit word at bytes 2i and 2i+1. */
    static byte[] keyBytes(String recoveryPassword) {
        String[] blocks = recoveryPassword.split("-");
        assertThat(blocks).hasSize(8);
        byte[] key = new byte[16];
        for (int i = 0; i < 8; i++) {
            int value = Integer.parseInt(blocks[i]);
            assertThat(value % 11).as("block %d is a multiple of 11", i + 1).isZero();
            int word = value / 11;
            key[2 * i] = (byte) word;
            key[2 * i + 1] = (byte) (word >>> 8);
        }
        return key;
    }

    static String sha256Hex(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] concat(byte[]... parts) {
        int length = Arrays.stream(parts).mapToInt(part -> part.length).sum();
        byte[] all = new byte[length];
        int at = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, all, at, part.length);
            at += part.length;
        }
        return all;
    }

    // ---------------------------------------------------------------------------------------
    // Helpers
    // ---------------------------------------------------------------------------------------

    static String script() throws IOException {
        return Files.readString(SCRIPT, StandardCharsets.UTF_8).replace("\r\n", "\n");
    }

    static String lineContaining(String text, String part) {
        List<String> matches = text.lines().filter(line -> line.contains(part)).toList();
        assertThat(matches).as("lines with %s", part).hasSize(1);
        return matches.get(0);
    }

    static int lineNumber(String text, String line) {
        return text.lines().toList().indexOf(line) + 1;
    }

    /** A call's arguments: up to a pipe, semicolon or brace, or the parenthesis that closes around it. */
    static String callExtent(String rest) {
        int depth = 0;
        for (int i = 0; i < rest.length(); i++) {
            char c = rest.charAt(i);
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                if (depth == 0) {
                    return rest.substring(0, i);
                }
                depth--;
            } else if ((c == '|' || c == ';' || c == '}') && depth == 0) {
                return rest.substring(0, i);
            }
        }
        return rest;
    }

    static List<String> onlyCalledFrom(Script script, String command, String allowedFunction) {
        List<String> problems = new ArrayList<>();
        for (Script.Line line : script.occurrences(command)) {
            if (line.code().matches("\\s*function\\s+" + Pattern.quote(command) + "\\b.*")) {
                continue;
            }
            String in = script.functionAt(line.number()).orElse("the script's top level");
            if (!in.equals(allowedFunction)) {
                problems.add("line " + line.number() + ": " + command + " in " + in + " (only " + allowedFunction + " may call it)");
            }
        }
        return problems;
    }

    static void same(List<String> problems, Script script, String builder, Set<String> expected) {
        Set<String> sent = script.bodyFields(builder);
        if (!sent.equals(new TreeSet<>(expected))) {
            Set<String> extra = new TreeSet<>(sent);
            extra.removeAll(expected);
            Set<String> missing = new TreeSet<>(expected);
            missing.removeAll(sent);
            problems.add(builder + " sends " + sent + " (unknown to the server: " + extra + ", never sent: " + missing + ")");
        }
    }

    static void sameKeys(List<String> problems, String what, JsonNode node, Set<String> fields) {
        Set<String> keys = new TreeSet<>(node.propertyNames());
        if (!keys.equals(new TreeSet<>(fields))) {
            problems.add(what + " has " + keys + ", the script builds " + new TreeSet<>(fields));
        }
    }

    static void someKeys(List<String> problems, String what, JsonNode node, Set<String> fields) {
        Set<String> keys = new TreeSet<>(node.propertyNames());
        if (!fields.containsAll(keys)) {
            problems.add(what + " has " + keys + ", the script builds only " + new TreeSet<>(fields));
        }
    }

    static Set<String> components(Class<?> record) {
        return Arrays.stream(record.getRecordComponents()).map(RecordComponent::getName)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    static Set<String> enrollFields() {
        return components(EnrollRequest.class);
    }

    static Set<String> verifierFields() {
        for (RecordComponent component : CheckinRequest.Volume.class.getRecordComponents()) {
            if (component.getName().equals(VERIFIERS) && component.getGenericType() instanceof ParameterizedType list
                    && list.getActualTypeArguments()[0] instanceof Class<?> type && type.isRecord()) {
                return components(type);
            }
        }
        throw new AssertionError("CheckinRequest.Volume has no " + VERIFIERS + " list of records");
    }

    /**
     * The script as code: comments taken out (line comments and comment blocks), lines continued
     * with a backtick joined, top-level functions found by their 'function Name' line and the
     * closing brace at the start of a line.
     */
    static final class Script {

        record Line(int number, String code) {
        }

        private final List<String> code = new ArrayList<>();
        private final List<Line> statements = new ArrayList<>();
        private final Map<String, int[]> functions = new TreeMap<>();

        Script(String text) {
            boolean inBlock = false;
            for (String raw : text.split("\n", -1)) {
                String line = raw;
                if (inBlock) {
                    int end = line.indexOf("#>");
                    if (end < 0) {
                        code.add("");
                        continue;
                    }
                    line = " ".repeat(end + 2) + line.substring(end + 2);
                    inBlock = false;
                }
                int start = line.indexOf("<#");
                if (start >= 0) {
                    int end = line.indexOf("#>", start + 2);
                    if (end < 0) {
                        code.add(stripComment(line.substring(0, start)));
                        inBlock = true;
                        continue;
                    }
                    line = line.substring(0, start) + line.substring(end + 2);
                }
                code.add(stripComment(line));
            }
            for (int i = 0; i < code.size(); i++) {
                int first = i;
                String joined = code.get(i);
                while (joined.stripTrailing().endsWith("`") && i + 1 < code.size()) {
                    String soFar = joined.stripTrailing();
                    joined = soFar.substring(0, soFar.length() - 1) + " " + code.get(++i).strip();
                }
                statements.add(new Line(first + 1, joined));
            }
            Pattern function = Pattern.compile("^function ([A-Za-z-]+)");
            for (int i = 0; i < code.size(); i++) {
                Matcher m = function.matcher(code.get(i));
                if (m.find()) {
                    int end = i;
                    while (end < code.size() && !code.get(end).equals("}")) {
                        end++;
                    }
                    functions.put(m.group(1), new int[] {i + 1, end + 1});
                }
            }
        }

        /** Everything after an unquoted '#' that starts a word is a comment. */
        static String stripComment(String line) {
            boolean single = false;
            boolean dbl = false;
            for (int i = 0; i < line.length(); i++) {
                char c = line.charAt(i);
                if (c == '\'' && !dbl) {
                    single = !single;
                } else if (c == '"' && !single) {
                    dbl = !dbl;
                } else if (c == '#' && !single && !dbl && (i == 0 || Character.isWhitespace(line.charAt(i - 1)))) {
                    return line.substring(0, i);
                }
            }
            return line;
        }

        List<Line> statements() {
            return statements;
        }

        List<Line> occurrences(String command) {
            Pattern word = Pattern.compile("(?<![\\w-])" + Pattern.quote(command) + "(?![\\w-])");
            List<Line> found = new ArrayList<>();
            for (int i = 0; i < code.size(); i++) {
                if (word.matcher(code.get(i)).find()) {
                    found.add(new Line(i + 1, code.get(i)));
                }
            }
            return found;
        }

        String function(String name) {
            int[] extent = functions.get(name);
            if (extent == null) {
                return "";
            }
            return String.join("\n", code.subList(extent[0] - 1, extent[1]));
        }

        Optional<String> functionAt(int lineNumber) {
            return functions.entrySet().stream()
                    .filter(entry -> entry.getValue()[0] <= lineNumber && lineNumber <= entry.getValue()[1])
                    .map(Map.Entry::getKey).findFirst();
        }

        /** The keys a builder puts in its [ordered]@{ ... } and adds with $x['key'] = ... */
        Set<String> bodyFields(String builder) {
            Set<String> fields = new LinkedHashSet<>();
            List<String> lines = function(builder).lines().toList();
            boolean inBody = false;
            Pattern key = Pattern.compile("^\\s*([A-Za-z]+)\\s*=");
            Pattern added = Pattern.compile("\\$\\w+\\['([A-Za-z]+)'\\]\\s*=[^=]");
            for (String line : lines) {
                if (line.contains("[ordered]@{")) {
                    inBody = true;
                    continue;
                }
                if (inBody && line.trim().equals("}")) {
                    inBody = false;
                }
                if (inBody) {
                    Matcher m = key.matcher(line);
                    if (m.find()) {
                        fields.add(m.group(1));
                    }
                }
                Matcher m = added.matcher(line);
                while (m.find()) {
                    fields.add(m.group(1));
                }
            }
            return new TreeSet<>(fields);
        }
    }
}
