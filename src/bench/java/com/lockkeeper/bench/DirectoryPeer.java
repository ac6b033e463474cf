package com.lockkeeper.bench;

import com.lockkeeper.bitlocker.Guids;
import com.lockkeeper.bitlocker.RecoveryPassword;
import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.SearchResult;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.SearchScope;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.function.IntFunction;

/**
 * The directory as a peer: the same fleet, loaded into OpenLDAP with AD's schema, measured with the
 * same concurrencies and reported like Lockkeeper's runs. The three operations are the ones AD's
 * BitLocker tools perform: escrow adds an {@code msFVE-RecoveryInformation} object under the
 * (existing) computer object; lookup by name finds the computer and lists its recovery objects
 * (two searches); lookup by ID prefix is the substring search on the name of "Find BitLocker
 * recovery password", {@code (&(objectClass=msFVE-RecoveryInformation)(name=*{XXXXXXXX-*))}.
 */
final class DirectoryPeer {

    static final String ESCROW = "escrow";
    static final String BY_NAME = "lookup by name";
    static final String BY_ID = "lookup by 8-digit ID";

    private static final String[] RECOVERY_ATTRIBUTES =
            {"cn", "msFVE-RecoveryPassword", "msFVE-RecoveryGuid", "msFVE-VolumeGuid"};
    private static final Filter RECOVERY_OBJECTS = Filter.createEqualityFilter("objectClass", "msFVE-RecoveryInformation");
    private static final DateTimeFormatter NAME_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssxxx", Locale.ROOT);

    /** What the directory measured. */
    record Results(List<String> indexes, OpenLdapPeer.Loaded loaded, List<LoadResult> escrow, List<LoadResult> lookups) {
        Optional<LoadResult> escrowAt(int concurrency) {
            return escrow.stream().filter(r -> r.concurrency() == concurrency).findFirst();
        }

        Optional<LoadResult> lookup(String name, int concurrency) {
            return lookups.stream().filter(r -> r.name().equals(name) && r.concurrency() == concurrency).findFirst();
        }
    }

    private final long computers;
    private final Duration step;
    private final List<String> indexes;

    DirectoryPeer(long computers, Duration step, boolean substringIndex) {
        this.computers = computers;
        this.step = step;
        this.indexes = OpenLdapPeer.indexes(substringIndex);
    }

    /**
     * Sets up the directory under {@code dir}, loads the fleet, then measures lookups at
     * {@code lookupConcurrencies} (none: no lookups) and escrow at {@code escrowConcurrencies} (none:
     * 1, 2, 4, … until the rate stops rising, as for Lockkeeper).
     */
    Results run(Path dir, Collection<Integer> lookupConcurrencies, Collection<Integer> escrowConcurrencies) throws Exception {
        OpenLdapPeer.install();
        try (OpenLdapPeer peer = OpenLdapPeer.create(dir, indexes)) {
            System.out.printf("loading %,d computers / %,d recovery objects into OpenLDAP (slapadd)%n", computers,
                    computers * Fleet.KEYS_PER_COMPUTER);
            OpenLdapPeer.Loaded loaded = peer.load(computers);
            System.out.printf("  %,d entries in %.1f s (%,.0f/s)%n", loaded.entries(), loaded.seconds(), loaded.rate());
            peer.start();
            LdapLoad load = new LdapLoad(peer);
            List<LoadResult> lookups = new ArrayList<>();
            if (!lookupConcurrencies.isEmpty()) {
                warmUp(round -> load.run("directory lookup warm-up", 8, Duration.ofSeconds(3), round % 2 == 0 ? this::byName : this::byId));
                for (int concurrency : lookupConcurrencies) {
                    lookups.add(print(load.run(BY_NAME, concurrency, step, this::byName)));
                    lookups.add(print(load.run(BY_ID, concurrency, step, this::byId)));
                }
            }
            List<LoadResult> escrow = new ArrayList<>();
            warmUp(round -> load.run("directory escrow warm-up", 8, Duration.ofSeconds(3), escrow()));
            if (escrowConcurrencies.isEmpty()) {
                double best = 0;
                int noGain = 0;
                for (int concurrency = 1; concurrency <= 256 && noGain < 2; concurrency *= 2) {
                    LoadResult result = print(load.run(ESCROW, concurrency, step, escrow()));
                    escrow.add(result);
                    noGain = result.throughput() > best * 1.05 ? 0 : noGain + 1;
                    best = Math.max(best, result.throughput());
                }
            } else {
                for (int concurrency : escrowConcurrencies) {
                    escrow.add(print(load.run(ESCROW, concurrency, step, escrow())));
                }
            }
            return new Results(indexes, loaded, escrow, lookups);
        }
    }

    /** Find the computer by name, then list its recovery objects: what the BitLocker Recovery tab shows. */
    private boolean byName(LDAPConnection connection, SplittableRandom random) throws LDAPException {
        String name = Fleet.computerName(random.nextLong(computers));
        SearchResult found = connection.search(OpenLdapPeer.COMPUTERS, SearchScope.SUB, Filter.createANDFilter(
                Filter.createEqualityFilter("objectClass", "computer"), Filter.createEqualityFilter("cn", name)), "1.1");
        int keys = 0;
        for (SearchResultEntry computer : found.getSearchEntries()) {
            keys += connection.search(computer.getDN(), SearchScope.ONE, RECOVERY_OBJECTS, RECOVERY_ATTRIBUTES).getEntryCount();
        }
        return found.getEntryCount() == 1 && keys >= Fleet.KEYS_PER_COMPUTER;
    }

    /** "Find BitLocker recovery password": the first 8 digits of the password ID, a substring search on the name. */
    private boolean byId(LDAPConnection connection, SplittableRandom random) throws LDAPException {
        long i = random.nextLong(computers);
        String prefix = Fleet.shortId(i, (int) (i & 1));
        Filter filter = Filter.createANDFilter(RECOVERY_OBJECTS,
                Filter.createSubstringFilter("name", null, new String[] {"{" + prefix + "-"}, null));
        return connection.search(OpenLdapPeer.COMPUTERS, SearchScope.SUB, filter, RECOVERY_ATTRIBUTES).getEntryCount() >= 1;
    }

    /** A device's backup to AD DS: one new recovery object under its computer object, synced to disk before the answer. */
    private LdapLoad.Operation escrow() {
        String createdAt = NAME_TIME.format(OffsetDateTime.now(ZoneOffset.ofHours(-8)));
        return (connection, random) -> {
            long i = random.nextLong(computers);
            UUID id = new UUID(random.nextLong(), random.nextLong());
            UUID volume = new UUID(random.nextLong(), random.nextLong());
            byte[] key = new byte[RecoveryPassword.KEY_LENGTH];
            random.nextBytes(key);
            String name = OpenLdapPeer.recoveryName(createdAt, id);
            Entry entry = new Entry("cn=" + name + "," + OpenLdapPeer.computerDn(i),
                    new Attribute("objectClass", "msFVE-RecoveryInformation"),
                    new Attribute("cn", name),
                    new Attribute("msFVE-RecoveryPassword", RecoveryPassword.fromKeyBytes(key).reveal()),
                    new Attribute("msFVE-RecoveryGuid", Guids.toMicrosoftBytes(id)),
                    new Attribute("msFVE-VolumeGuid", Guids.toMicrosoftBytes(volume)));
            return connection.add(entry).getResultCode() == ResultCode.SUCCESS;
        };
    }

    /**
     * Rounds of 3 s until the load generator's JIT compiler (this JVM's) is quiet: under 5 % of the
     * round's time, at most 2 minutes. slapd is compiled ahead of time; the LDAP client is not.
     */
    private static void warmUp(IntFunction<LoadResult> round) {
        CompilationMXBean compiler = ManagementFactory.getCompilationMXBean();
        long started = System.nanoTime();
        for (int n = 1; n <= 40; n++) {
            long before = compiler.getTotalCompilationTime();
            LoadResult result = round.apply(n);
            long millis = compiler.getTotalCompilationTime() - before;
            if (n >= 2 && millis < 0.05 * 1000 * result.seconds()) {
                break;
            }
        }
        System.out.printf("directory warm-up: %.0f s until the load generator's JIT compiler went quiet%n",
                (System.nanoTime() - started) / 1e9);
    }

    private static LoadResult print(LoadResult result) {
        System.out.println("directory " + result.line().replace(result.answers(), Report.directoryAnswers(result)));
        return result;
    }
}
