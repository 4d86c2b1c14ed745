package io.switchboard.core.crm.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Switchboard unified CRM API")
@interface CrmConfig {
    String PID = "switchboard.crm";

    @AttributeDefinition(description = "Timeout of one call to the CRM, in milliseconds.")
    long timeout_ms() default 30_000;

    @AttributeDefinition(description = "Largest page a caller may ask for.")
    int max_limit() default 200;

}
