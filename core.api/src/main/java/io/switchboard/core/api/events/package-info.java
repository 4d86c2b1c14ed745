/**
 * Events that tell a developer's own server what changed (delivered as signed webhooks by
 * {@code core.webhooks}): a bundle publishes them through {@link io.switchboard.core.api.events.Events}
 * in the same database transaction as the change they report.
 */
@Export
@Version("1.1.0")
package io.switchboard.core.api.events;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
