package io.jenkins.plugins.immutabledeployment.actions;

import hudson.model.Item;
import hudson.model.Job;
import hudson.security.ACL;
import hudson.security.SecurityRealm;
import io.jenkins.plugins.immutabledeployment.model.Viewer;
import java.util.List;
import java.util.Objects;
import jenkins.model.IdStrategy;
import jenkins.model.Jenkins;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;

/** The current user as the engine's model sees them: id, groups, Build permission on a job, and the realm's id rules. */
final class Viewers {

    private Viewers() {}

    static Viewer current(Job<?, ?> job) {
        Authentication authentication = Jenkins.getAuthentication2();
        if (ACL.isAnonymous2(authentication)) {
            return Viewer.ANONYMOUS;
        }
        SecurityRealm realm = Jenkins.get().getSecurityRealm();
        IdStrategy users = realm.getUserIdStrategy();
        IdStrategy groups = realm.getGroupIdStrategy();
        List<String> authorities = authentication.getAuthorities().stream()
                .map(GrantedAuthority::getAuthority)
                .filter(Objects::nonNull)
                .toList();
        return new Viewer(authentication.getName(), authorities, job.hasPermission(Item.BUILD), users::equals, groups::equals);
    }
}
