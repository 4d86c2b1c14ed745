package io.switchboard.connector.sugarcrm.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Switchboard SugarCRM connector")
@interface SugarConfig {
    String PID = "switchboard.connector.sugarcrm";

    @AttributeDefinition(description = "REST path below the instance URL.")
    String rest_path() default "/rest/v11_x";

    @AttributeDefinition(description = "The platform Switchboard logs in with, unless the app sets the option platform. Use a dedicated one: a new login on the same platform ends the earlier session.")
    String platform() default "switchboard";
}
