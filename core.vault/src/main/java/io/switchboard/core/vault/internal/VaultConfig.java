package io.switchboard.core.vault.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Switchboard token vault")
@interface VaultConfig {
    String PID = "switchboard.vault";

    @AttributeDefinition(type = AttributeType.PASSWORD,
            description = "Master keys, newest first: id:base64(32 bytes)[,id:base64...]. Empty: on H2 a development key under data/, on PostgreSQL the vault refuses to start.")
    String master_key() default "";




    @AttributeDefinition(description = "Refresh an access token this many seconds before it expires.")
    int refresh_skew_seconds() default 60;

    @AttributeDefinition(description = "Cool-down after a failed refresh (5xx, 429, network) in seconds; doubles with each further failure up to cooldown.max.seconds. At least 30.")
    int cooldown_seconds() default 30;

    @AttributeDefinition(description = "Longest cool-down in seconds.")
    int cooldown_max_seconds() default 600;

    @AttributeDefinition(description = "How long an instance trusts its cached copy of an account's token before it rereads the row (another instance may have refreshed or deleted it), in seconds.")
    int cache_recheck_seconds() default 10;


}
