package io.jenkins.plugins.immutabledeployment.credentials;

import com.cloudbees.plugins.credentials.CredentialsMatcher;
import com.cloudbees.plugins.credentials.CredentialsMatchers;
import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.common.StandardCredentials;
import com.cloudbees.plugins.credentials.common.StandardListBoxModel;
import com.cloudbees.plugins.credentials.common.StandardUsernamePasswordCredentials;
import hudson.model.Item;
import hudson.model.Queue;
import hudson.model.queue.Tasks;
import hudson.security.ACL;
import hudson.util.ListBoxModel;
import java.util.List;
import jenkins.model.Jenkins;
import org.jenkinsci.plugins.plaincredentials.FileCredentials;
import org.jenkinsci.plugins.plaincredentials.StringCredentials;

/**
 * The credentials drop-downs of the forms. A user who may not configure the place the form belongs to (the
 * item, or Jenkins itself for the global configuration) gets an empty list: listing ids is already information.
 */
public final class CredentialsChoices {

    /** Registry logins. */
    public static final CredentialsMatcher USERNAME_PASSWORD = CredentialsMatchers.instanceOf(StandardUsernamePasswordCredentials.class);
    /** Tokens. */
    public static final CredentialsMatcher SECRET_TEXT = CredentialsMatchers.instanceOf(StringCredentials.class);
    /** Kubeconfig files. */
    public static final CredentialsMatcher SECRET_FILE = CredentialsMatchers.instanceOf(FileCredentials.class);
    /** PEM keys, pasted as secret text or uploaded as a secret file. */
    public static final CredentialsMatcher SECRET_TEXT_OR_FILE = CredentialsMatchers.anyOf(SECRET_TEXT, SECRET_FILE);

    private CredentialsChoices() {}

    /**
     * For the global configuration: only administrators see ids, and only GLOBAL-scoped credentials are listed
     * because builds resolve them (SYSTEM-scoped credentials are invisible to builds).
     */
    public static ListBoxModel forGlobalConfiguration(CredentialsMatcher matcher, String current) {
        Jenkins jenkins = Jenkins.get();
        if (!mayConfigure(null)) {
            return new ListBoxModel();
        }
        return new StandardListBoxModel()
                .includeEmptyValue()
                .includeMatchingAs(ACL.SYSTEM2, jenkins, StandardCredentials.class, List.of(),
                        CredentialsMatchers.allOf(matcher, CredentialsMatchers.withScope(CredentialsScope.GLOBAL)))
                .includeCurrentValue(current == null ? "" : current);
    }

    /**
     * For a step's form (Snippet Generator): only users who may configure the item see ids, and the list is
     * what a build of that item could use. Without an item (the Snippet Generator at the root) it falls back
     * to the global rule.
     */
    public static ListBoxModel forItem(Item item, CredentialsMatcher matcher, String current) {
        if (item == null) {
            return forGlobalConfiguration(matcher, current);
        }
        if (!mayConfigure(item)) {
            return new ListBoxModel();
        }
        return new StandardListBoxModel()
                .includeEmptyValue()
                .includeMatchingAs(item instanceof Queue.Task task ? Tasks.getAuthenticationOf2(task) : ACL.SYSTEM2,
                        item, StandardCredentials.class, List.of(), matcher)
                .includeCurrentValue(current == null ? "" : current);
    }

    /**
     * Whether the current user may see the choices of a form of {@code item}: configure it, or, without an item
     * (the global configuration, the Snippet Generator at the root), administer Jenkins. Other configured names
     * (clusters) follow the same rule.
     */
    public static boolean mayConfigure(Item item) {
        return item == null ? Jenkins.get().hasPermission(Jenkins.ADMINISTER) : item.hasPermission(Item.CONFIGURE);
    }
}
