/**
 * The key hierarchy: the only package that touches Tink, and Bouncy Castle's cryptography (the
 * {@code tls} package uses only its X.509 certificate builder). Everything outside
 * sees {@link com.lockkeeper.keys.RecordSealer}, {@link com.lockkeeper.keys.RecordOpener},
 * {@link com.lockkeeper.keys.KeyCeremonies} and the {@link com.lockkeeper.keys.Barrier}'s
 * open/sealed state; repositories only ever hold ciphertext.
 *
 * <h2>The hierarchy</h2>
 * <pre>
 * node key          AES-256-GCM keyset in {@code <data dir>/node.key} (0600); one per node;
 *   │               never in the database, never replicated
 *   └─ wraps ──▶ the node's DMK registration (a row; useless without that node's key)
 * DMK               database master key, AES-256-GCM keyset; lives in the database, so it
 *   │               replicates and fails over with it
 *   ├─ wrapped by the DMK password (Argon2id → AES-256-GCM): backups, registering nodes
 *   └─ wraps ──▶ the datakey's private half
 * datakey           the recovery data keyset: HPKE (X25519, HKDF-SHA256, AES-256-GCM), one
 *   │               primary version and older ones kept for opening; public half in clear
 *   └─ seals ──▶ epoch keys
 * epoch key         AES-256-GCM, one per node per short epoch (by age or row count); sealed
 *   │               to the datakey's public half and committed before any row uses it;
 *   │               in memory only while its epoch lasts
 *   └─ encrypts ──▶ each recovery password and key package (the row names its epoch)
 * </pre>
 * Escrow needs only the public half, so a sealed node still accepts escrow. Opening a row needs
 * the private half, so only an open node (one whose registration opens the DMK) can reveal.
 *
 * <h2>Associated data: no ciphertext opens anywhere but where it was written</h2>
 * <table>
 * <caption>What each wrap or seal is bound to</caption>
 * <tr><th>ciphertext</th><th>key</th><th>associated data</th></tr>
 * <tr><td>DMK</td><td>DMK password (Argon2id)</td><td>{@code lockkeeper/dmk/v<version>/password}</td></tr>
 * <tr><td>DMK registration</td><td>node key</td><td>{@code lockkeeper/dmk/v<version>/node/<node name>}</td></tr>
 * <tr><td>datakey private half</td><td>DMK</td><td>{@code lockkeeper/datakey/dmk/v<dmk version>}</td></tr>
 * <tr><td>epoch key</td><td>datakey public half (HPKE)</td><td>{@code lockkeeper/epoch/<epoch id>}</td></tr>
 * <tr><td>recovery password, key package</td><td>epoch key</td>
 *     <td>{@code lockkeeper/v<format>/<recovery-password|key-package>/<protector ID>/<volume ID>}</td></tr>
 * <tr><td>DMK export, datakey export</td><td>export password (Argon2id)</td>
 *     <td>{@code lockkeeper/export/dmk}, {@code lockkeeper/export/datakey}</td></tr>
 * </table>
 * The fingerprint of a secret (to tell an identical re-escrow from a conflicting one without
 * decrypting) is SHA-256 over the record's associated data, a zero byte and the secret: it is
 * bound to its protector and volume like the ciphertext.
 *
 * <h2>Invariants</h2>
 * <ul>
 * <li>The DMK is in memory only during a ceremony; an open node keeps the datakey's private
 *     half, never the DMK.</li>
 * <li>An epoch key is committed no later than the first row sealed with it, so no crash or
 *     failover leaves a row whose key is gone.</li>
 * <li>A ciphertext moved to another row, column, node slot or DMK version fails to open
 *     ({@link com.lockkeeper.keys.RecordIntegrityException}), it never decrypts to something else.</li>
 * <li>{@code datakey rotate} (a new primary datakey version, then every epoch key re-sealed under
 *     it in resumable batches; old versions stay, so every row stays readable) and {@code dmk rotate}
 *     (a new DMK and password; the datakey re-wrapped) are separate ceremonies; every change of the
 *     hierarchy commits together with its audit record.</li>
 * <li>Secrets never reach logs, exception messages or {@code toString()}; errors say what to run next.</li>
 * </ul>
 */
package com.lockkeeper.keys;
