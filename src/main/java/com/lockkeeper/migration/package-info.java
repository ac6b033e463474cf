/**
 * Moving keys in and out: the Configuration Manager / MBAM CSV export, the Entra ID export, and
 * bundles encrypted to another installation's public key. Every importer reads its whole source
 * and checks every entry before anything is stored, then stores through
 * {@link com.lockkeeper.escrow.EscrowImport}: the same batching, sealing and conflict rules as
 * {@code lockkeeper import FILE}.
 */
package com.lockkeeper.migration;
