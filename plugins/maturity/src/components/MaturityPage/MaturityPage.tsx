import { Header, Page, TabbedLayout } from '@backstage/core-components';
import { ScorecardContent } from '../ScorecardContent';
import { RubricContent } from '../RubricContent';

/**
 * The maturity page for apps on the legacy frontend system: the scorecard
 * and the rubric as tabs. The new frontend system builds the same page from
 * its page and sub-page extensions.
 * @public
 */
export function MaturityPage() {
  return (
    <Page themeId="tool">
      <Header
        title="Cloud Native Maturity"
        subtitle="Where every service stands on the CNCF Cloud Native Maturity Model"
      />
      <TabbedLayout>
        <TabbedLayout.Route path="/scorecard" title="Scorecard">
          <ScorecardContent />
        </TabbedLayout.Route>
        <TabbedLayout.Route path="/rubric" title="Rubric">
          <RubricContent />
        </TabbedLayout.Route>
      </TabbedLayout>
    </Page>
  );
}
