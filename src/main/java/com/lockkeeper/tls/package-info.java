/**
 * HTTPS in the server itself, so devices need no reverse proxy: {@link com.lockkeeper.tls.ServerTls}
 * turns {@code lockkeeper.tls.*} into a Spring Boot SSL bundle of PEM files (reloaded when
 * they change) for the web server; {@link com.lockkeeper.tls.SelfSignedCertificate} makes the
 * certificate of a test installation; {@link com.lockkeeper.tls.ClientCertificates} tells other
 * code the verified client certificate of a request.
 *
 * <p>Bouncy Castle is used here for its X.509 certificate builder only (the JDK has none); the
 * keys and signatures come from the JDK. The recovery key hierarchy stays in {@code keys}.
 */
package com.lockkeeper.tls;
