/** The token vault's services for the other core bundles. */
@Export
@Version("1.2.0")
package io.switchboard.core.tokens.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
