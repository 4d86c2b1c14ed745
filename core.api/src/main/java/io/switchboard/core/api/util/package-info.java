/**
 * Small helpers the core bundles share, kept apart from the API packages: ids and secure random
 * values ({@link io.switchboard.core.api.util.Ids}), the newest service per id while bundles come
 * and go ({@link io.switchboard.core.api.util.ServicesById}), a reading reused for a moment
 * ({@link io.switchboard.core.api.util.Recent}; a health status: {@link io.switchboard.core.api.util.CachedStatus}), SHA-256 for secrets kept only as
 * hashes ({@link io.switchboard.core.api.util.Digests}), and the limit and opaque cursor of list
 * endpoints ({@link io.switchboard.core.api.util.Cursors}), and documents providers publish, kept for their
 * cache lifetime ({@link io.switchboard.core.api.util.PublishedDocuments}).
 */
@Export
@Version("1.3.0")
package io.switchboard.core.api.util;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
