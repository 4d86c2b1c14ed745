/** Fakes of the CRMs Switchboard connects to, built from their public documentation. */
@Export
@Version("1.0.0")
package io.switchboard.testkit.crm;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
