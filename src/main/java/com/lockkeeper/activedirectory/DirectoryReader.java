package com.lockkeeper.activedirectory;

import com.lockkeeper.escrow.EscrowImport;
import com.lockkeeper.support.IoProblems;
import com.lockkeeper.support.LdapConnections;
import com.unboundid.asn1.ASN1OctetString;
import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.SearchRequest;
import com.unboundid.ldap.sdk.SearchResult;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.SearchScope;
import com.unboundid.ldap.sdk.controls.SimplePagedResultsControl;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

/**
 * Reads a directory's BitLocker recovery objects with one paged subtree search (Active Directory
 * answers at most 1,000 entries a page), and the computers they belong to with one search per page
 * for all of the page's new parents ({@code (|(distinguishedName=…)(distinguishedName=…)…)}), not a
 * round trip per key. Read only: it never writes to the directory.
 */
final class DirectoryReader implements AutoCloseable {

    /** What a domain controller's rootDSE says of itself. */
    record Controller(String dnsHostName, long highestCommittedUsn) {
    }

    static final int PARENTS_PER_SEARCH = 200;
    private static final int CACHED_COMPUTERS = 50_000;

    private final DirectoryImport.Connection settings;
    private final LDAPConnection connection;
    private final Map<String, ComputerObjects.Resolved> computers = new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, ComputerObjects.Resolved> eldest) {
            return size() > CACHED_COMPUTERS;
        }
    };

    private DirectoryReader(DirectoryImport.Connection settings, LDAPConnection connection) {
        this.settings = settings;
        this.connection = connection;
    }

    /** Connects and binds as the reading account. */
    static DirectoryReader open(DirectoryImport.Connection settings) {
        String problem = LdapConnections.problemWith(settings.url());
        if (problem != null) {
            throw new DirectoryException(problem, null);
        }
        String password = bindPassword(settings);
        LDAPConnection connection;
        try {
            connection = LdapConnections.open(settings.url(), settings.caFile(), settings.timeout());
        } catch (LDAPException e) {
            String why = connectFailure(e);
            throw new DirectoryException("cannot connect to " + settings.url() + ": " + e.getResultCode()
                    + (why == null ? "" : " (" + DirectoryException.shortened(why) + ")")
                    + "; check the URL, the port (636 for ldaps) and, for ldaps, the CA file and that the certificate"
                    + " names the host", e);
        }
        try {
            connection.bind(settings.bindDn(), password);
        } catch (LDAPException e) {
            connection.close();
            throw new DirectoryException("the directory at " + settings.url() + " refused the bind as " + settings.bindDn()
                    + ": " + e.getResultCode() + "; check the bind DN and the password in " + settings.bindPasswordFile(), e);
        }
        return new DirectoryReader(settings, connection);
    }

    /** Why a connection failed, in its deepest cause's words: "ConnectException: Connection refused", a TLS failure, a bad CA file. */
    private static String connectFailure(LDAPException e) {
        if (e.getDiagnosticMessage() != null) {
            return e.getDiagnosticMessage();
        }
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if (root == e || root instanceof IllegalArgumentException) {
            return root.getMessage();
        }
        return root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
    }

    private static String bindPassword(DirectoryImport.Connection settings) {
        if (settings.bindPasswordFile() == null) {
            throw new DirectoryException("no bind password file: put the reading account's password in a file readable"
                    + " only by this user and give its path", null);
        }
        try {
            String text = Files.readString(settings.bindPasswordFile(), StandardCharsets.UTF_8);
            int end = text.indexOf('\n');
            String line = (end < 0 ? text : text.substring(0, end)).strip();
            if (line.isEmpty()) {
                throw new DirectoryException(settings.bindPasswordFile() + " is empty: it should hold the reading account's"
                        + " password on its first line", null);
            }
            return line;
        } catch (IOException e) {
            throw new DirectoryException("cannot read the bind password file " + settings.bindPasswordFile() + ": "
                    + IoProblems.describe(e), e);
        }
    }

    /** The domain controller answering: USNs count per controller, so the watermark is kept per controller. */
    Controller controller() {
        try {
            Entry root = connection.getRootDSE();
            String name = root == null ? null : root.getAttributeValue("dnsHostName");
            Long usn = root == null ? null : root.getAttributeValueAsLong("highestCommittedUSN");
            return new Controller(name == null || name.isBlank() ? connection.getConnectedAddress() : name,
                    usn == null ? -1 : usn);
        } catch (LDAPException e) {
            throw DirectoryException.of(e);
        }
    }

    /**
     * Reads every recovery object under the base DN matching {@code filter}, a page at a time, and hands
     * each page's escrows to {@code sink}; {@code expected} hears the directory's estimate of the total
     * when it gives one.
     */
    void read(Filter filter, ReadTally tally, Consumer<List<EscrowImport.Item>> sink, LongConsumer expected)
            throws LDAPException {
        SearchRequest request = new SearchRequest(settings.baseDn(), SearchScope.SUB, filter, RecoveryObjects.ATTRIBUTES);
        ASN1OctetString cookie = null;
        boolean first = true;
        do {
            if (Thread.currentThread().isInterrupted()) {
                return;
            }
            request.setControls(new SimplePagedResultsControl(settings.pageSize(), cookie, true));
            SearchResult result = connection.search(request);
            SimplePagedResultsControl paged = SimplePagedResultsControl.get(result);
            if (first && paged != null && paged.getSize() > 0) {
                expected.accept(paged.getSize());
            }
            first = false;
            page(result.getSearchEntries(), tally, sink);
            cookie = paged == null ? null : paged.getCookie();
        } while (cookie != null && cookie.getValueLength() > 0);
    }

    private void page(List<SearchResultEntry> entries, ReadTally tally, Consumer<List<EscrowImport.Item>> sink)
            throws LDAPException {
        Map<String, ComputerObjects.Resolved> parents = new HashMap<>();
        Set<String> missing = new LinkedHashSet<>();
        String[] parentOf = new String[entries.size()];
        for (int i = 0; i < entries.size(); i++) {
            String parent = RecoveryObjects.parentDn(entries.get(i));
            parentOf[i] = parent;
            if (parent != null && !parents.containsKey(parent) && !missing.contains(parent)) {
                ComputerObjects.Resolved known = computers.get(parent);
                if (known != null) {
                    parents.put(parent, known);
                } else {
                    missing.add(parent);
                }
            }
        }
        resolveParents(missing, parents);
        List<RecoveryObjects.Read> reads = new ArrayList<>(entries.size());
        List<ComputerObjects.Resolved> skipped = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            SearchResultEntry entry = entries.get(i);
            String parent = parentOf[i];
            ComputerObjects.Resolved computer = parent == null ? ComputerObjects.resolve(null, null) : parents.get(parent);
            if (computer.skipped()) {
                skipped.add(computer);
            } else {
                reads.add(RecoveryObjects.read(entry, computer.name()));
            }
        }
        tally.page(reads, skipped, sink);
    }

    /** Looks the parents up, many per search; a parent the search does not return is named by its DN. */
    private void resolveParents(Set<String> missing, Map<String, ComputerObjects.Resolved> parents) throws LDAPException {
        List<String> all = new ArrayList<>(missing);
        for (int from = 0; from < all.size(); from += PARENTS_PER_SEARCH) {
            List<String> chunk = all.subList(from, Math.min(all.size(), from + PARENTS_PER_SEARCH));
            Filter[] byDn = chunk.stream().map(dn -> Filter.createEqualityFilter("distinguishedName", dn)).toArray(Filter[]::new);
            Map<String, Entry> found = new HashMap<>();
            try {
                SearchResult result = connection.search(new SearchRequest(settings.baseDn(), SearchScope.SUB,
                        Filter.createORFilter(byDn), ComputerObjects.ATTRIBUTES));
                for (SearchResultEntry entry : result.getSearchEntries()) {
                    found.put(normalized(entry.getDN()), entry);
                }
            } catch (LDAPException e) {
                if (e.getResultCode() != ResultCode.NO_SUCH_OBJECT) {
                    throw e;
                }
            }
            for (String dn : chunk) {
                ComputerObjects.Resolved resolved = ComputerObjects.resolve(dn, found.get(dn));
                parents.put(dn, resolved);
                computers.put(dn, resolved);
            }
        }
    }

    private static String normalized(String dn) {
        try {
            return new DN(dn).toNormalizedString();
        } catch (LDAPException e) {
            return dn;
        }
    }

    @Override
    public void close() {
        connection.close();
    }
}
