package com.lockkeeper.testing;

import com.unboundid.asn1.ASN1OctetString;
import com.unboundid.ldap.listener.InMemoryDirectoryServerConfig;
import com.unboundid.ldap.listener.InMemoryRequestHandler;
import com.unboundid.ldap.listener.LDAPListener;
import com.unboundid.ldap.listener.LDAPListenerClientConnection;
import com.unboundid.ldap.listener.LDAPListenerConfig;
import com.unboundid.ldap.listener.LDAPListenerRequestHandler;
import com.unboundid.ldap.protocol.AddRequestProtocolOp;
import com.unboundid.ldap.protocol.AddResponseProtocolOp;
import com.unboundid.ldap.protocol.BindRequestProtocolOp;
import com.unboundid.ldap.protocol.CompareRequestProtocolOp;
import com.unboundid.ldap.protocol.DeleteRequestProtocolOp;
import com.unboundid.ldap.protocol.DeleteResponseProtocolOp;
import com.unboundid.ldap.protocol.ExtendedRequestProtocolOp;
import com.unboundid.ldap.protocol.LDAPMessage;
import com.unboundid.ldap.protocol.ModifyDNRequestProtocolOp;
import com.unboundid.ldap.protocol.ModifyDNResponseProtocolOp;
import com.unboundid.ldap.protocol.ModifyRequestProtocolOp;
import com.unboundid.ldap.protocol.ModifyResponseProtocolOp;
import com.unboundid.ldap.protocol.SearchRequestProtocolOp;
import com.unboundid.ldap.protocol.SearchResultDoneProtocolOp;
import com.unboundid.ldap.protocol.SearchResultEntryProtocolOp;
import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.Control;
import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;
import com.unboundid.ldap.sdk.ReadOnlyEntry;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.SearchScope;
import com.unboundid.ldap.sdk.controls.SimplePagedResultsControl;
import com.unboundid.ldap.sdk.schema.Schema;
import com.unboundid.ldif.LDIFException;
import com.unboundid.util.ObjectPair;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ServerSocketFactory;

/**
 * A stand-in for an Active Directory domain controller: UnboundID's in-memory directory with AD's
 * BitLocker schema ({@code directory/bitlocker-schema.ldif}), behind a front that answers as a domain
 * controller does where the import depends on it:
 * <ul>
 * <li>its rootDSE names it ({@code dnsHostName}) and says its {@code highestCommittedUSN};</li>
 * <li>a paged search keeps its result set on the server behind the cookie (the in-memory directory
 *     would search everything again for every page), and pages of at most 1,000 entries (MaxPageSize);
 *     other searches go to the in-memory directory's own search, which uses its index on distinguishedName;</li>
 * <li>searches need a bind, and only the accounts given read on confidential attributes see
 *     msFVE-RecoveryPassword and msFVE-KeyPackage;</li>
 * <li>it is read only over the wire: every write is refused and counted, so a test can prove that
 *     the import never writes to the directory.</li>
 * </ul>
 * The in-memory directory does not keep {@code uSNChanged} itself: the fixtures set it on every
 * entry they add or change, from this controller's counter ({@link #nextUsn()}).
 */
public final class TestDomainController implements AutoCloseable {

    public static final String BASE = "DC=corp,DC=example,DC=com";
    public static final String COMPUTERS = "OU=Workstations," + BASE;
    public static final String READER = "CN=svc-lockkeeper,OU=Service," + BASE;
    public static final String READER_PASSWORD = "reader account secret";
    /** An account that may search but was not given read on the confidential attributes. */
    public static final String PLAIN_USER = "CN=plain-user,OU=Service," + BASE;
    public static final String DNS_HOST_NAME = "dc1.corp.example.com";
    static final int MAX_PAGE_SIZE = 1_000;
    private static final Set<String> CONFIDENTIAL = Set.of("msfve-recoverypassword", "msfve-keypackage");

    private final InMemoryRequestHandler store;
    private final LDAPListener listener;
    private final AtomicLong usn = new AtomicLong(12_000);
    private final AtomicInteger refusedWrites = new AtomicInteger();
    private final AtomicInteger searches = new AtomicInteger();
    private final Map<String, List<ReadOnlyEntry>> pagedResults = new ConcurrentHashMap<>();
    private final AtomicLong pagedIds = new AtomicLong();
    private final AtomicInteger pagesUntilFailure = new AtomicInteger(-1);

    private TestDomainController(InMemoryRequestHandler store, ServerSocketFactory sockets) throws LDAPException {
        this.store = store;
        LDAPListenerConfig config = new LDAPListenerConfig(0, new Front(this, null, null));
        if (sockets != null) {
            config.setServerSocketFactory(sockets);
        }
        this.listener = new LDAPListener(config);
        try {
            listener.startListening();
        } catch (IOException e) {
            throw new LDAPException(ResultCode.LOCAL_ERROR, "cannot listen", e);
        }
    }

    /** A domain controller answering ldap:// on a free port of 127.0.0.1. */
    public static TestDomainController start() {
        return start(null);
    }

    /** A domain controller answering on sockets of {@code sockets} (an SSL factory for ldaps://). */
    public static TestDomainController start(ServerSocketFactory sockets) {
        try {
            InMemoryDirectoryServerConfig config = new InMemoryDirectoryServerConfig(BASE);
            config.setSchema(schema());
            config.setEqualityIndexAttributes("distinguishedName");
            config.setMaxChangeLogEntries(0);
            config.setGenerateOperationalAttributes(false);
            InMemoryRequestHandler store = new InMemoryRequestHandler(config);
            store.addEntry(new Entry("dn: " + BASE, "objectClass: top", "objectClass: domain", "dc: corp"), true);
            for (String ou : new String[] {"Workstations", "Service", "Servers"}) {
                store.addEntry(new Entry("dn: OU=" + ou + "," + BASE, "objectClass: top", "objectClass: organizationalUnit",
                        "ou: " + ou), true);
            }
            for (String[] account : new String[][] {{READER, "svc-lockkeeper"}, {PLAIN_USER, "plain-user"}}) {
                store.addEntry(new Entry("dn: " + account[0], "objectClass: top", "objectClass: user", "cn: " + account[1],
                        "sAMAccountName: " + account[1], "userPassword: " + READER_PASSWORD), true);
            }
            return new TestDomainController(store, sockets);
        } catch (LDAPException | LDIFException | IOException e) {
            throw new IllegalStateException("cannot start the test domain controller", e);
        }
    }

    static Schema schema() throws IOException, LDIFException {
        try (InputStream in = TestDomainController.class.getResourceAsStream("/directory/bitlocker-schema.ldif")) {
            if (in == null) {
                throw new IOException("directory/bitlocker-schema.ldif is not on the class path");
            }
            String[] lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .filter(line -> !line.startsWith("#")).toArray(String[]::new);
            try {
                return Schema.mergeSchemas(Schema.getDefaultStandardSchema(), new Schema(new Entry(lines)));
            } catch (LDAPException e) {
                throw new IOException("the standard schema cannot be read", e);
            }
        }
    }

    public int port() {
        return listener.getListenPort();
    }

    public String url() {
        return "ldap://127.0.0.1:" + port();
    }

    /** The directory itself, for fixtures to add and change entries (in process, not over the wire). */
    public InMemoryRequestHandler store() {
        return store;
    }

    /** This controller's next USN: what a fixture sets as uSNChanged (and uSNCreated) of what it adds or changes. */
    public long nextUsn() {
        return usn.incrementAndGet();
    }

    public long highestCommittedUsn() {
        return usn.get();
    }

    /** Adds entries as they are, schema-checked (one at a time: adding a list copies the whole directory first). */
    public void add(List<Entry> entries) {
        try {
            for (Entry entry : entries) {
                store.addEntry(entry, true);
            }
        } catch (LDAPException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Changes an entry as AD would: the change gets the next USN as uSNChanged. */
    public void modify(String dn, Modification... modifications) {
        List<Modification> all = new ArrayList<>(List.of(modifications));
        all.add(new Modification(ModificationType.REPLACE, "uSNChanged", Long.toString(nextUsn())));
        try {
            store.modifyEntry(dn, all);
        } catch (LDAPException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The controller goes away in the middle of the next paged search: it answers {@code pages} pages,
     * then {@code unavailable} (as a domain controller that restarts, or a connection that breaks).
     */
    public void failAfterPages(int pages) {
        pagesUntilFailure.set(pages);
    }

    /** Writes refused over the wire (adds, changes, deletes, renames): the import must make none. */
    public int refusedWrites() {
        return refusedWrites.get();
    }

    /** Searches answered over the wire (each page of a paged search counts once). */
    public int searches() {
        return searches.get();
    }

    @Override
    public void close() {
        listener.shutDown(true);
    }

    /** One connection's handler: binds by the in-memory directory, searches as described above, no writes. */
    private static final class Front extends LDAPListenerRequestHandler {

        private final TestDomainController dc;
        private final InMemoryRequestHandler connectionStore;
        private final LDAPListenerClientConnection connection;

        Front(TestDomainController dc, InMemoryRequestHandler connectionStore, LDAPListenerClientConnection connection) {
            this.dc = dc;
            this.connectionStore = connectionStore;
            this.connection = connection;
        }

        @Override
        public LDAPListenerRequestHandler newInstance(LDAPListenerClientConnection client) throws LDAPException {
            Front front = new Front(dc, dc.store.newInstance(client), client);
            client.addSearchEntryTransformer((messageID, entry, controls) -> {
                if (front.readsConfidential()) {
                    return new ObjectPair<>(entry, controls);
                }
                List<Attribute> visible = entry.getAttributes().stream()
                        .filter(a -> !CONFIDENTIAL.contains(a.getBaseName().toLowerCase(Locale.ROOT))).toList();
                return new ObjectPair<>(new SearchResultEntryProtocolOp(entry.getDN(), visible), controls);
            });
            return front;
        }

        /** Only the reading account was given read on the confidential attributes (control access). */
        private boolean readsConfidential() {
            DN bound = connectionStore.getAuthenticatedDN();
            try {
                return bound != null && bound.equals(new DN(READER));
            } catch (LDAPException e) {
                return false;
            }
        }

        @Override
        public LDAPMessage processBindRequest(int messageID, BindRequestProtocolOp request, List<Control> controls) {
            return connectionStore.processBindRequest(messageID, request, controls);
        }

        @Override
        public LDAPMessage processCompareRequest(int messageID, CompareRequestProtocolOp request, List<Control> controls) {
            return connectionStore.processCompareRequest(messageID, request, controls);
        }

        @Override
        public LDAPMessage processExtendedRequest(int messageID, ExtendedRequestProtocolOp request, List<Control> controls) {
            return connectionStore.processExtendedRequest(messageID, request, controls);
        }

        @Override
        public LDAPMessage processAddRequest(int messageID, AddRequestProtocolOp request, List<Control> controls) {
            dc.refusedWrites.incrementAndGet();
            return new LDAPMessage(messageID, new AddResponseProtocolOp(ResultCode.UNWILLING_TO_PERFORM_INT_VALUE, null,
                    "read-only test domain controller", null));
        }

        @Override
        public LDAPMessage processDeleteRequest(int messageID, DeleteRequestProtocolOp request, List<Control> controls) {
            dc.refusedWrites.incrementAndGet();
            return new LDAPMessage(messageID, new DeleteResponseProtocolOp(ResultCode.UNWILLING_TO_PERFORM_INT_VALUE, null,
                    "read-only test domain controller", null));
        }

        @Override
        public LDAPMessage processModifyRequest(int messageID, ModifyRequestProtocolOp request, List<Control> controls) {
            dc.refusedWrites.incrementAndGet();
            return new LDAPMessage(messageID, new ModifyResponseProtocolOp(ResultCode.UNWILLING_TO_PERFORM_INT_VALUE, null,
                    "read-only test domain controller", null));
        }

        @Override
        public LDAPMessage processModifyDNRequest(int messageID, ModifyDNRequestProtocolOp request, List<Control> controls) {
            dc.refusedWrites.incrementAndGet();
            return new LDAPMessage(messageID, new ModifyDNResponseProtocolOp(ResultCode.UNWILLING_TO_PERFORM_INT_VALUE, null,
                    "read-only test domain controller", null));
        }

        @Override
        public LDAPMessage processSearchRequest(int messageID, SearchRequestProtocolOp request, List<Control> controls) {
            dc.searches.incrementAndGet();
            try {
                if (request.getBaseDN().isEmpty() && request.getScope() == SearchScope.BASE) {
                    connection.sendSearchResultEntry(messageID, rootDse());
                    return done(messageID, ResultCode.SUCCESS, null);
                }
                DN bound = connectionStore.getAuthenticatedDN();
                if (bound == null || bound.isNullDN()) {
                    return done(messageID, ResultCode.OPERATIONS_ERROR, "a successful bind must be completed on the connection");
                }
                SimplePagedResultsControl paged = pagedControl(controls);
                List<String> byDn = distinguishedNames(request.getFilter());
                if (paged == null && byDn != null) {
                    // Entries by their DNs, as AD finds them (the in-memory directory would test every
                    // entry against every DN of the filter).
                    for (String dn : byDn) {
                        ReadOnlyEntry entry = dc.store.getEntry(dn);
                        if (entry != null && new DN(dn).isDescendantOf(request.getBaseDN(), true)) {
                            connection.sendSearchResultEntry(messageID, trimmed(entry, request.getAttributes()));
                        }
                    }
                    return done(messageID, ResultCode.SUCCESS, null);
                }
                if (paged == null) {
                    return connectionStore.processSearchRequest(messageID, request, controls);
                }
                List<ReadOnlyEntry> results;
                int offset = 0;
                String id;
                if (paged.getCookie() == null || paged.getCookie().getValueLength() == 0) {
                    results = dc.store.search(request.getBaseDN(), request.getScope(), request.getFilter());
                    id = Long.toString(dc.pagedIds.incrementAndGet());
                    dc.pagedResults.put(id, results);
                } else {
                    String[] cookie = paged.getCookie().stringValue().split(":");
                    id = cookie[0];
                    offset = Integer.parseInt(cookie[1]);
                    results = dc.pagedResults.get(id);
                    if (results == null) {
                        return done(messageID, ResultCode.UNWILLING_TO_PERFORM, "the paged search's cookie is not known");
                    }
                }
                if (dc.pagesUntilFailure.getAndUpdate(n -> n > 0 ? n - 1 : n) == 0) {
                    dc.pagesUntilFailure.set(-1);
                    return done(messageID, ResultCode.UNAVAILABLE, "the domain controller is shutting down");
                }
                int size = Math.min(Math.max(paged.getSize(), 1), MAX_PAGE_SIZE);
                int end = Math.min(results.size(), offset + size);
                for (int i = offset; i < end; i++) {
                    connection.sendSearchResultEntry(messageID, trimmed(results.get(i), request.getAttributes()));
                }
                ASN1OctetString next = new ASN1OctetString();
                if (end < results.size()) {
                    next = new ASN1OctetString(id + ":" + end);
                } else {
                    dc.pagedResults.remove(id);
                }
                // Like Active Directory, no estimate of the total (0).
                return new LDAPMessage(messageID, new SearchResultDoneProtocolOp(ResultCode.SUCCESS_INT_VALUE, null, null, null),
                        List.of(new SimplePagedResultsControl(0, next, false)));
            } catch (LDAPException e) {
                return done(messageID, e.getResultCode(), e.getMessage());
            }
        }

        private Entry rootDse() {
            return new Entry("", new Attribute("objectClass", "top"), new Attribute("dnsHostName", DNS_HOST_NAME),
                    new Attribute("defaultNamingContext", BASE),
                    new Attribute("highestCommittedUSN", Long.toString(dc.highestCommittedUsn())),
                    new Attribute("supportedControl", SimplePagedResultsControl.PAGED_RESULTS_OID),
                    new Attribute("supportedLDAPVersion", "3"));
        }

        /** The DNs of a filter (|(distinguishedName=…)…) or (distinguishedName=…), else null. */
        private static List<String> distinguishedNames(com.unboundid.ldap.sdk.Filter filter) {
            List<com.unboundid.ldap.sdk.Filter> terms = filter.getFilterType() == com.unboundid.ldap.sdk.Filter.FILTER_TYPE_OR
                    ? List.of(filter.getComponents()) : List.of(filter);
            List<String> dns = new ArrayList<>();
            for (com.unboundid.ldap.sdk.Filter term : terms) {
                if (term.getFilterType() != com.unboundid.ldap.sdk.Filter.FILTER_TYPE_EQUALITY
                        || !term.getAttributeName().equalsIgnoreCase("distinguishedName")) {
                    return null;
                }
                dns.add(term.getAssertionValue());
            }
            return dns;
        }

        private static SimplePagedResultsControl pagedControl(List<Control> controls) throws LDAPException {
            for (Control control : controls) {
                if (control.getOID().equals(SimplePagedResultsControl.PAGED_RESULTS_OID)) {
                    return new SimplePagedResultsControl(control.getOID(), control.isCritical(), control.getValue());
                }
            }
            return null;
        }

        /** The entry with the attributes asked for (all when none are named). */
        private static Entry trimmed(Entry entry, List<String> requested) {
            Set<String> wanted = new HashSet<>();
            requested.forEach(name -> wanted.add(name.toLowerCase(Locale.ROOT)));
            boolean all = wanted.isEmpty() || wanted.contains("*");
            Entry copy = new Entry(entry.getDN());
            for (Attribute attribute : entry.getAttributes()) {
                String name = attribute.getBaseName().toLowerCase(Locale.ROOT);
                if (all || wanted.contains(name)) {
                    copy.addAttribute(attribute);
                }
            }
            return copy;
        }

        private static LDAPMessage done(int messageID, ResultCode code, String message) {
            return new LDAPMessage(messageID, new SearchResultDoneProtocolOp(code.intValue(), null, message, null));
        }
    }
}
