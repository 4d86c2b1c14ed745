/**
 * Switchboard's shared, semantically versioned API: what core bundles and connector bundles
 * have in common. Types here are value types or service contracts; implementations live in
 * the bundles that register them.
 */
@Export
@Version("2.1.0")
package io.switchboard.core.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
