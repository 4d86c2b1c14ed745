/** Test databases: a real PostgreSQL from SWITCHBOARD_TEST_DB_URL, else an embedded one. */
@Export
@Version("0.1.0")
package io.switchboard.testkit.db;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
