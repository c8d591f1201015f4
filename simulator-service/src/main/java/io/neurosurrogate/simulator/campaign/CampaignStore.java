package io.neurosurrogate.simulator.campaign;

import io.neurosurrogate.core.DomainException;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The campaigns this instance knows, in creation order. Running campaigns are always kept; beyond
 * {@code retainedCampaigns} the oldest finished ones are forgotten (their final status stays on the
 * compacted campaigns topic).
 */
public final class CampaignStore {
    private final int retainedCampaigns;
    private final Map<String, CampaignRun> byId = new LinkedHashMap<>();

    public CampaignStore(int retainedCampaigns) {
        this.retainedCampaigns = Math.max(1, retainedCampaigns);
    }

    /** Adds a campaign; false if the id is taken. */
    public synchronized boolean add(CampaignRun run) {
        if (byId.putIfAbsent(run.campaignId(), run) != null) {
            return false;
        }
        forgetOldFinished();
        return true;
    }

    public synchronized CampaignRun get(String campaignId) {
        CampaignRun run = byId.get(campaignId);
        if (run == null) {
            throw DomainException.notFound("no campaign with id '" + campaignId + "'");
        }
        return run;
    }

    public synchronized List<CampaignRun> all() {
        return new ArrayList<>(byId.values());
    }

    private void forgetOldFinished() {
        int excess = byId.size() - retainedCampaigns;
        for (Iterator<CampaignRun> it = byId.values().iterator(); excess > 0 && it.hasNext(); ) {
            if (it.next().isTerminal()) {
                it.remove();
                excess--;
            }
        }
    }
}
