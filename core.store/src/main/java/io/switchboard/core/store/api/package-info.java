/**
 * Persistence services for the other core bundles: transactions over their own persistence
 * units, and the audit log. Each bundle keeps its entities private and owns a persistence unit
 * whose {@code non-jta-data-source} is
 * {@code osgi:service/javax.sql.DataSource/(osgi.jndi.service.name=switchboard)}; the schema is
 * owned by the migrations in this bundle.
 */
@Export
@Version("1.3.0")
package io.switchboard.core.store.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
