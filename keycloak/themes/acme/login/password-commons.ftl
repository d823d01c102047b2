<#-- Acme: "sign out other devices" is ticked by default when a password is changed
     or a second factor is set up, because that usually follows a suspected
     compromise. Keycloak 26's keycloak.v2 theme leaves it unticked. Otherwise
     identical to keycloak.v2/login/password-commons.ftl. -->
<#import "field.ftl" as field>
<#macro logoutOtherSessions>
    <div id="kc-form-options" class="${properties.kcFormOptionsClass!}">
        <div class="${properties.kcFormOptionsWrapperClass!}">
            <@field.checkbox name="logout-sessions" label=msg("logoutOtherSessions") value=true />
        </div>
    </div>
</#macro>
