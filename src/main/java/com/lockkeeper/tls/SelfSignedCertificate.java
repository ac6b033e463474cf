package com.lockkeeper.tls;

import com.lockkeeper.support.OwnerOnlyFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The self-signed certificate of a test installation ({@code serve --tls self-signed}): made
 * once, an ECDSA P-256 key and a certificate for this host's names, localhost and the loopback
 * addresses, both kept in the data directory readable by its owner only and reused at every
 * later start. Clients trust it by pinning its {@link Fingerprint}; delete both files for a new
 * one.
 */
public final class SelfSignedCertificate {

    public static final String CERTIFICATE_FILE = "tls-self-signed-certificate.pem";
    public static final String KEY_FILE = "tls-self-signed-key.pem";
    static final Duration VALIDITY = Duration.ofDays(3650);

    private final Path certificateFile;
    private final Path keyFile;
    private final X509Certificate certificate;
    private final boolean created;

    private SelfSignedCertificate(Path certificateFile, Path keyFile, X509Certificate certificate, boolean created) {
        this.certificateFile = certificateFile;
        this.keyFile = keyFile;
        this.certificate = certificate;
        this.created = created;
    }

    /**
     * The certificate in {@code dataDir}, made now for {@code hostNames} and {@code addresses} if
     * there is none. A key left without its certificate (a start stopped while making them) is
     * replaced.
     */
    public static SelfSignedCertificate inDataDirectory(Path dataDir, List<String> hostNames, List<InetAddress> addresses,
            SecureRandom random, Instant now) {
        Path certificateFile = dataDir.resolve(CERTIFICATE_FILE);
        Path keyFile = dataDir.resolve(KEY_FILE);
        try {
            if (Files.exists(certificateFile)) {
                if (!Files.exists(keyFile)) {
                    throw new IllegalStateException("the self-signed certificate " + certificateFile + " has no key beside it ("
                            + KEY_FILE + "); delete the certificate file and start again for a new pair");
                }
                return new SelfSignedCertificate(certificateFile, keyFile, read(certificateFile), false);
            }
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), random);
            KeyPair pair = generator.generateKeyPair();
            X509Certificate certificate = build(pair, hostNames, addresses, random, now);
            Files.deleteIfExists(keyFile);
            OwnerOnlyFiles.createNew(keyFile, pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
            OwnerOnlyFiles.createNew(certificateFile, pem("CERTIFICATE", certificate.getEncoded()));
            return new SelfSignedCertificate(certificateFile, keyFile, certificate, true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the self-signed certificate in " + dataDir + ": "
                    + e.getClass().getSimpleName(), e);
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("cannot make a self-signed certificate: " + e.getClass().getSimpleName(), e);
        }
    }

    private static X509Certificate build(KeyPair pair, List<String> hostNames, List<InetAddress> addresses, SecureRandom random,
            Instant now) throws GeneralSecurityException, OperatorCreationException, IOException {
        if (hostNames.isEmpty()) {
            throw new IllegalArgumentException("a self-signed certificate needs at least one host name");
        }
        X500Name subject = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, hostNames.get(0))
                .addRDN(BCStyle.O, "Lockkeeper self-signed").build();
        List<GeneralName> names = new ArrayList<>();
        hostNames.forEach(name -> names.add(new GeneralName(GeneralName.dNSName, name)));
        addresses.forEach(address -> names.add(new GeneralName(GeneralName.iPAddress, address.getHostAddress())));
        JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, new BigInteger(127, random).add(BigInteger.ONE),
                Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(VALIDITY)), subject, pair.getPublic())
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
                .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names.toArray(GeneralName[]::new)))
                .addExtension(Extension.subjectKeyIdentifier, false, extensions.createSubjectKeyIdentifier(pair.getPublic()));
        return new JcaX509CertificateConverter()
                .getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate())));
    }

    private static X509Certificate read(Path file) throws IOException, GeneralSecurityException {
        try (InputStream in = Files.newInputStream(file)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

    static byte[] pem(String type, byte[] der) {
        String body = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der);
        return ("-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n").getBytes(StandardCharsets.US_ASCII);
    }

    public Path certificateFile() {
        return certificateFile;
    }

    public Path keyFile() {
        return keyFile;
    }

    public X509Certificate certificate() {
        return certificate;
    }

    /** Whether this start made it (else it was kept from an earlier one). */
    public boolean created() {
        return created;
    }

    public Fingerprint fingerprint() {
        return Fingerprint.of(certificate);
    }

    /** The DNS names it was made for. */
    public List<String> hostNames() {
        List<String> names = new ArrayList<>();
        try {
            if (certificate.getSubjectAlternativeNames() != null) {
                for (List<?> name : certificate.getSubjectAlternativeNames()) {
                    if (Integer.valueOf(GeneralName.dNSName).equals(name.get(0))) {
                        names.add((String) name.get(1));
                    }
                }
            }
        } catch (java.security.cert.CertificateParsingException e) {
            // none readable: an empty list
        }
        return names;
    }
}
