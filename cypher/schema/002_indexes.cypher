// Lookup indexes for the filters the UI and the algorithms use, and full-text
// indexes for search.
CREATE INDEX organisation_territory IF NOT EXISTS FOR (n:Organisation) ON (n.territory);
CREATE INDEX organisation_kind IF NOT EXISTS FOR (n:Organisation) ON (n.kind);
CREATE INDEX organisation_country IF NOT EXISTS FOR (n:Organisation) ON (n.country);
CREATE INDEX organisation_nuts3 IF NOT EXISTS FOR (n:Organisation) ON (n.nuts3);
CREATE INDEX organisation_name_key IF NOT EXISTS FOR (n:Organisation) ON (n.name_key);
CREATE INDEX organisation_community IF NOT EXISTS FOR (n:Organisation) ON (n.community);
CREATE INDEX project_start_year IF NOT EXISTS FOR (n:Project) ON (n.start_year);
CREATE INDEX region_level IF NOT EXISTS FOR (n:Region) ON (n.level);
CREATE INDEX topic_kind IF NOT EXISTS FOR (n:Topic) ON (n.kind);
CREATE FULLTEXT INDEX organisation_names IF NOT EXISTS FOR (n:Organisation) ON EACH [n.name, n.short_name, n.city];
CREATE FULLTEXT INDEX project_titles IF NOT EXISTS FOR (n:Project) ON EACH [n.title, n.acronym];
CREATE FULLTEXT INDEX topic_names IF NOT EXISTS FOR (n:Topic) ON EACH [n.name];
