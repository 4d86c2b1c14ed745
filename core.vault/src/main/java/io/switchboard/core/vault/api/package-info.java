/**
 * The token vault: linked accounts and their tokens ({@link io.switchboard.core.vault.api.TokenVault}),
 * secrets sealed at rest ({@link io.switchboard.core.vault.api.SealedSecrets}), and what the vault
 * needs from the bundles around it: the installed connectors and each app's credentials for them
 * ({@link io.switchboard.core.vault.api.ConnectorDirectory}, implemented by linking) and the other
 * tables that hold sealed secrets ({@link io.switchboard.core.vault.api.SealedRows}, re-wrapped
 * after a master-key rotation).
 */
@Export
@Version("2.1.0")
package io.switchboard.core.vault.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
