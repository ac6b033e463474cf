package com.lockkeeper.testing;

import java.io.IOException;
import java.math.BigInteger;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.net.Socket;
import java.security.Principal;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A certificate authority made for one test, as an organisation's PKI: it issues server
 * certificates (for localhost and 127.0.0.1) and client certificates (a machine's DNS name, as
 * Active Directory Certificate Services issues them), writes them as PEM files, and gives HTTP
 * clients that trust it.
 */
public final class TestPki {

    private static final SecureRandom RANDOM = new SecureRandom();

    /** A certificate with its private key and the chain up to (and with) the CA. */
    public record Issued(X509Certificate certificate, PrivateKey key, List<X509Certificate> chain) {

        public BigInteger serial() {
            return certificate.getSerialNumber();
        }

        /** Writes the chain (leaf first) and the key as PEM files; the key file 0600. */
        public void writePem(Path certificateFile, Path keyFile) throws IOException {
            StringBuilder pem = new StringBuilder();
            for (X509Certificate cert : chain) {
                pem.append(TestPki.pem("CERTIFICATE", encoded(cert)));
            }
            Files.writeString(certificateFile, pem);
            Files.writeString(keyFile, TestPki.pem("PRIVATE KEY", key.getEncoded()));
            Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw-------"));
        }
    }

    private final String name;
    private final KeyPair caKeys;
    private final X509Certificate ca;

    private TestPki(String name) throws GeneralSecurityException {
        this.name = name;
        this.caKeys = keyPair();
        X500Name subject = new X500Name("CN=" + name);
        try {
            this.ca = sign(new JcaX509v3CertificateBuilder(subject, serial(), notBefore(), notAfter(), subject, caKeys.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign)), caKeys);
        } catch (IOException e) {
            throw new GeneralSecurityException(e);
        }
    }

    public static TestPki ca(String name) {
        try {
            return new TestPki(name);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public X509Certificate certificate() {
        return ca;
    }

    /** Writes the CA certificate as a PEM file (what {@code lockkeeper.tls.client-ca} reads). */
    public void writePem(Path file) throws IOException {
        Files.writeString(file, pem("CERTIFICATE", encoded(ca)));
    }

    /** A server certificate for localhost, 127.0.0.1 and ::1. */
    public Issued server() {
        return issue("localhost", KeyPurposeId.id_kp_serverAuth, new GeneralName(GeneralName.dNSName, "localhost"),
                new GeneralName(GeneralName.iPAddress, "127.0.0.1"), new GeneralName(GeneralName.iPAddress, "::1"));
    }

    /** A machine's client certificate: its DNS name in the subject alternative names, no subject (as AD CS's Workstation Authentication). */
    public Issued client(String dnsName) {
        return issue(null, KeyPurposeId.id_kp_clientAuth, new GeneralName(GeneralName.dNSName, dnsName));
    }

    private Issued issue(String commonName, KeyPurposeId purpose, GeneralName... names) {
        try {
            KeyPair keys = keyPair();
            X500Name subject = commonName == null ? new X500Name(new org.bouncycastle.asn1.x500.RDN[0]) : new X500Name("CN=" + commonName);
            JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(ca, serial(), notBefore(), notAfter(), subject,
                    keys.getPublic());
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                    .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose))
                    .addExtension(Extension.subjectAlternativeName, commonName == null, new GeneralNames(names));
            X509Certificate certificate = sign(builder, caKeys);
            return new Issued(certificate, keys.getPrivate(), List.of(certificate, ca));
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An HTTP client that trusts this CA only, and presents {@code clientCertificate} when asked (null: none). */
    public HttpClient httpClient(Issued clientCertificate) {
        return HttpClient.newBuilder().sslContext(sslContext(clientCertificate)).connectTimeout(Duration.ofSeconds(5)).build();
    }

    public SSLContext sslContext(Issued clientCertificate) {
        try {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry(name, ca);
            TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trustManagers.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(clientCertificate == null ? null : new KeyManager[] {new FixedClientKey(clientCertificate)},
                    trustManagers.getTrustManagers(), RANDOM);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Presents its certificate whenever the server asks, whichever CAs the server names (as
     * {@code curl --cert} does; the JDK's own key manager would send none to a server that names
     * other CAs).
     */
    private static final class FixedClientKey extends X509ExtendedKeyManager {

        private final Issued issued;

        FixedClientKey(Issued issued) {
            this.issued = issued;
        }

        @Override
        public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
            return "client";
        }

        @Override
        public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
            return "client";
        }

        @Override
        public X509Certificate[] getCertificateChain(String alias) {
            return issued.chain().toArray(X509Certificate[]::new);
        }

        @Override
        public PrivateKey getPrivateKey(String alias) {
            return issued.key();
        }

        @Override
        public String[] getClientAliases(String keyType, Principal[] issuers) {
            return new String[] {"client"};
        }

        @Override
        public String[] getServerAliases(String keyType, Principal[] issuers) {
            return new String[0];
        }

        @Override
        public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
            return null;
        }
    }

    private static X509Certificate sign(org.bouncycastle.cert.X509v3CertificateBuilder builder, KeyPair signer) throws GeneralSecurityException {
        try {
            return new JcaX509CertificateConverter()
                    .getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer.getPrivate())));
        } catch (org.bouncycastle.operator.OperatorCreationException e) {
            throw new GeneralSecurityException(e);
        }
    }

    private static KeyPair keyPair() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
        return generator.generateKeyPair();
    }

    private static BigInteger serial() {
        return new BigInteger(120, RANDOM).add(BigInteger.ONE);
    }

    private static Date notBefore() {
        return Date.from(Instant.now().minus(Duration.ofHours(1)));
    }

    private static Date notAfter() {
        return Date.from(Instant.now().plus(Duration.ofDays(30)));
    }

    static byte[] encoded(X509Certificate certificate) {
        try {
            return certificate.getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
