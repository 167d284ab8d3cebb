-- The SQLite schema at revision 0011, written by `annotator db snapshot`.

CREATE TABLE alembic_version (
	version_num VARCHAR(32) NOT NULL, 
	CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)
);

CREATE TABLE project (
	id INTEGER NOT NULL, 
	name VARCHAR(200) NOT NULL, 
	slug VARCHAR(100) NOT NULL, 
	description TEXT NOT NULL, 
	guidelines TEXT NOT NULL, 
	label_schema JSON NOT NULL, 
	settings JSON NOT NULL, 
	archived_at DATETIME, 
	created_at DATETIME NOT NULL, schema_revision INTEGER DEFAULT '0' NOT NULL, 
	CONSTRAINT pk_project PRIMARY KEY (id), 
	CONSTRAINT uq_project_slug UNIQUE (slug)
);

CREATE TABLE user (
	id INTEGER NOT NULL, 
	username VARCHAR(80) NOT NULL, 
	username_key VARCHAR(80) NOT NULL, 
	password_hash VARCHAR(255) NOT NULL, 
	role VARCHAR(20) NOT NULL, 
	active BOOLEAN NOT NULL, 
	must_change_password BOOLEAN NOT NULL, 
	created_at DATETIME NOT NULL, 
	last_login_at DATETIME, session_epoch INTEGER DEFAULT '0' NOT NULL, 
	CONSTRAINT pk_user PRIMARY KEY (id), 
	CONSTRAINT ck_user_role CHECK (role IN ('admin', 'reviewer', 'annotator')), 
	CONSTRAINT uq_user_username_key UNIQUE (username_key)
);

CREATE TABLE api_token (
	id INTEGER NOT NULL, 
	user_id INTEGER NOT NULL, 
	name VARCHAR(100) NOT NULL, 
	prefix VARCHAR(16) NOT NULL, 
	token_hash VARCHAR(64) NOT NULL, 
	created_at DATETIME NOT NULL, 
	last_used_at DATETIME, 
	revoked_at DATETIME, scopes VARCHAR(100) DEFAULT 'read' NOT NULL, expires_at DATETIME, 
	CONSTRAINT pk_api_token PRIMARY KEY (id), 
	CONSTRAINT fk_api_token_user_id_user FOREIGN KEY(user_id) REFERENCES user (id) ON DELETE CASCADE, 
	CONSTRAINT uq_api_token_token_hash UNIQUE (token_hash)
);

CREATE TABLE article (
	id INTEGER NOT NULL, 
	project_id INTEGER NOT NULL, 
	external_id VARCHAR(255), 
	title TEXT NOT NULL, 
	source VARCHAR(255), 
	published DATE, 
	meta JSON NOT NULL, 
	content_hash VARCHAR(64) NOT NULL, 
	created_at DATETIME NOT NULL, 
	CONSTRAINT pk_article PRIMARY KEY (id), 
	CONSTRAINT fk_article_project_id_project FOREIGN KEY(project_id) REFERENCES project (id) ON DELETE CASCADE, 
	CONSTRAINT uq_article_project_id UNIQUE (project_id, content_hash)
);

CREATE TABLE audit_log (
	id INTEGER NOT NULL, 
	actor_id INTEGER, 
	action VARCHAR(100) NOT NULL, 
	target_type VARCHAR(50) NOT NULL, 
	target_id VARCHAR(100), 
	"before" JSON, 
	"after" JSON, 
	created_at DATETIME NOT NULL, 
	CONSTRAINT pk_audit_log PRIMARY KEY (id), 
	CONSTRAINT fk_audit_log_actor_id_user FOREIGN KEY(actor_id) REFERENCES user (id)
);

CREATE TABLE project_member (
	project_id INTEGER NOT NULL, 
	user_id INTEGER NOT NULL, 
	role VARCHAR(20) NOT NULL, 
	CONSTRAINT pk_project_member PRIMARY KEY (project_id, user_id), 
	CONSTRAINT ck_project_member_role CHECK (role IN ('admin', 'reviewer', 'annotator')), 
	CONSTRAINT fk_project_member_project_id_project FOREIGN KEY(project_id) REFERENCES project (id) ON DELETE CASCADE, 
	CONSTRAINT fk_project_member_user_id_user FOREIGN KEY(user_id) REFERENCES user (id) ON DELETE CASCADE
);

CREATE TABLE article_status (
	article_id INTEGER NOT NULL, 
	user_id INTEGER NOT NULL, 
	status VARCHAR(20) NOT NULL, 
	updated_at DATETIME NOT NULL, revision INTEGER DEFAULT '0' NOT NULL, 
	CONSTRAINT pk_article_status PRIMARY KEY (article_id, user_id), 
	CONSTRAINT ck_article_status_status CHECK (status IN ('not_started', 'in_progress', 'done')), 
	CONSTRAINT fk_article_status_article_id_article FOREIGN KEY(article_id) REFERENCES article (id) ON DELETE CASCADE, 
	CONSTRAINT fk_article_status_user_id_user FOREIGN KEY(user_id) REFERENCES user (id)
);

CREATE TABLE assignment (
	article_id INTEGER NOT NULL, 
	user_id INTEGER NOT NULL, 
	assigned_by_id INTEGER, 
	created_at DATETIME NOT NULL, 
	CONSTRAINT pk_assignment PRIMARY KEY (article_id, user_id), 
	CONSTRAINT fk_assignment_article_id_article FOREIGN KEY(article_id) REFERENCES article (id) ON DELETE CASCADE, 
	CONSTRAINT fk_assignment_assigned_by_id_user FOREIGN KEY(assigned_by_id) REFERENCES user (id), 
	CONSTRAINT fk_assignment_user_id_user FOREIGN KEY(user_id) REFERENCES user (id)
);

CREATE TABLE paragraph (
	id INTEGER NOT NULL, 
	article_id INTEGER NOT NULL, 
	position INTEGER NOT NULL, 
	text TEXT NOT NULL, 
	is_boilerplate BOOLEAN NOT NULL, 
	CONSTRAINT pk_paragraph PRIMARY KEY (id), 
	CONSTRAINT fk_paragraph_article_id_article FOREIGN KEY(article_id) REFERENCES article (id) ON DELETE CASCADE, 
	CONSTRAINT uq_paragraph_article_id UNIQUE (article_id, position)
);

CREATE TABLE article_review (
	article_id INTEGER NOT NULL, 
	status VARCHAR(20) NOT NULL, 
	reviewer_id INTEGER, 
	version INTEGER DEFAULT '1' NOT NULL, 
	updated_at DATETIME NOT NULL, 
	CONSTRAINT pk_article_review PRIMARY KEY (article_id), 
	CONSTRAINT ck_article_review_status CHECK (status IN ('not_reviewed', 'in_review', 'adjudicated')), 
	CONSTRAINT fk_article_review_article_id_article FOREIGN KEY(article_id) REFERENCES article (id) ON DELETE CASCADE, 
	CONSTRAINT fk_article_review_reviewer_id_user FOREIGN KEY(reviewer_id) REFERENCES user (id)
);

CREATE TABLE annotation_comment (
	id INTEGER NOT NULL, 
	annotation_id INTEGER NOT NULL, 
	author_id INTEGER NOT NULL, 
	body TEXT NOT NULL, 
	created_at DATETIME NOT NULL, 
	CONSTRAINT pk_annotation_comment PRIMARY KEY (id), 
	CONSTRAINT fk_annotation_comment_annotation_id_annotation FOREIGN KEY(annotation_id) REFERENCES annotation (id) ON DELETE CASCADE, 
	CONSTRAINT fk_annotation_comment_author_id_user FOREIGN KEY(author_id) REFERENCES user (id)
);

CREATE TABLE login_session (
	id INTEGER NOT NULL, 
	user_id INTEGER NOT NULL, 
	token_hash VARCHAR(64) NOT NULL, 
	created_at DATETIME NOT NULL, 
	expires_at DATETIME NOT NULL, 
	CONSTRAINT pk_login_session PRIMARY KEY (id), 
	CONSTRAINT fk_login_session_user_id_user FOREIGN KEY(user_id) REFERENCES user (id) ON DELETE CASCADE, 
	CONSTRAINT uq_login_session_token_hash UNIQUE (token_hash)
);

CREATE TABLE pattern_file (
	id INTEGER NOT NULL, 
	project_id INTEGER NOT NULL, 
	name VARCHAR(200) NOT NULL, 
	patterns JSON NOT NULL, 
	uploaded_by_id INTEGER, 
	created_at DATETIME NOT NULL, 
	CONSTRAINT pk_pattern_file PRIMARY KEY (id), 
	CONSTRAINT fk_pattern_file_project_id_project FOREIGN KEY(project_id) REFERENCES project (id) ON DELETE CASCADE, 
	CONSTRAINT fk_pattern_file_uploaded_by_id_user FOREIGN KEY(uploaded_by_id) REFERENCES user (id) ON DELETE SET NULL, 
	CONSTRAINT uq_pattern_file_project_id UNIQUE (project_id, name)
);

CREATE TABLE suggestion (
	id INTEGER NOT NULL, 
	paragraph_id INTEGER NOT NULL, 
	user_id INTEGER, 
	layer VARCHAR(20) NOT NULL, 
	label VARCHAR(100) NOT NULL, 
	start INTEGER, 
	"end" INTEGER, 
	text TEXT NOT NULL, 
	source VARCHAR(100) NOT NULL, 
	"key" VARCHAR(200) NOT NULL, 
	score FLOAT, 
	model_version VARCHAR(100), 
	created_at DATETIME NOT NULL, 
	retired_at DATETIME, 
	CONSTRAINT pk_suggestion PRIMARY KEY (id), 
	CONSTRAINT ck_suggestion_layer CHECK (layer IN ('entity', 'sentiment')), 
	CONSTRAINT ck_suggestion_offsets CHECK (("start" IS NULL AND "end" IS NULL) OR ("start" >= 0 AND "end" > "start")), 
	CONSTRAINT ck_suggestion_entity_offsets CHECK (layer = 'sentiment' OR ("start" IS NOT NULL)), 
	CONSTRAINT fk_suggestion_paragraph_id_paragraph FOREIGN KEY(paragraph_id) REFERENCES paragraph (id) ON DELETE CASCADE, 
	CONSTRAINT fk_suggestion_user_id_user FOREIGN KEY(user_id) REFERENCES user (id) ON DELETE CASCADE, 
	CONSTRAINT uq_suggestion_paragraph_source_key UNIQUE (paragraph_id, source, "key")
);

CREATE TABLE suggestion_decision (
	suggestion_id INTEGER NOT NULL, 
	user_id INTEGER NOT NULL, 
	decision VARCHAR(20) NOT NULL, 
	annotation_id INTEGER, 
	decided_at DATETIME NOT NULL, 
	CONSTRAINT pk_suggestion_decision PRIMARY KEY (suggestion_id, user_id), 
	CONSTRAINT ck_suggestion_decision_decision CHECK (decision IN ('accepted', 'rejected')), 
	CONSTRAINT fk_suggestion_decision_annotation_id_annotation FOREIGN KEY(annotation_id) REFERENCES annotation (id) ON DELETE SET NULL, 
	CONSTRAINT fk_suggestion_decision_suggestion_id_suggestion FOREIGN KEY(suggestion_id) REFERENCES suggestion (id) ON DELETE CASCADE, 
	CONSTRAINT fk_suggestion_decision_user_id_user FOREIGN KEY(user_id) REFERENCES user (id) ON DELETE CASCADE
);

CREATE TABLE pipeline_job (
	id INTEGER NOT NULL, 
	project_id INTEGER NOT NULL, 
	pipeline VARCHAR(500) NOT NULL, 
	reason VARCHAR(20) NOT NULL, 
	status VARCHAR(20) NOT NULL, 
	requested_by_id INTEGER, 
	worker VARCHAR(100), 
	model_version VARCHAR(100), 
	paragraphs INTEGER NOT NULL, 
	computed INTEGER NOT NULL, 
	cached INTEGER NOT NULL, 
	suggestions INTEGER NOT NULL, 
	dropped JSON NOT NULL, 
	error TEXT, 
	created_at DATETIME NOT NULL, 
	started_at DATETIME, 
	finished_at DATETIME, 
	CONSTRAINT pk_pipeline_job PRIMARY KEY (id), 
	CONSTRAINT ck_pipeline_job_status CHECK (status IN ('queued', 'running', 'done', 'failed')), 
	CONSTRAINT fk_pipeline_job_project_id_project FOREIGN KEY(project_id) REFERENCES project (id) ON DELETE CASCADE, 
	CONSTRAINT fk_pipeline_job_requested_by_id_user FOREIGN KEY(requested_by_id) REFERENCES user (id) ON DELETE SET NULL
);

CREATE TABLE model_paragraph (
	paragraph_id INTEGER NOT NULL, 
	source VARCHAR(255) NOT NULL, 
	model_version VARCHAR(100) NOT NULL, 
	computed_at DATETIME NOT NULL, 
	CONSTRAINT pk_model_paragraph PRIMARY KEY (paragraph_id, source), 
	CONSTRAINT fk_model_paragraph_paragraph_id_paragraph FOREIGN KEY(paragraph_id) REFERENCES paragraph (id) ON DELETE CASCADE
);

CREATE TABLE boilerplate_rule (
	id INTEGER NOT NULL, 
	project_id INTEGER NOT NULL, 
	kind VARCHAR(10) NOT NULL, 
	pattern TEXT NOT NULL, 
	makes_boilerplate BOOLEAN NOT NULL, 
	created_by_id INTEGER, 
	created_at DATETIME NOT NULL, 
	applied_at DATETIME, 
	applied_by_id INTEGER, 
	CONSTRAINT pk_boilerplate_rule PRIMARY KEY (id), 
	CONSTRAINT ck_boilerplate_rule_kind CHECK (kind IN ('exact', 'prefix', 'regex')), 
	CONSTRAINT fk_boilerplate_rule_applied_by_id_user FOREIGN KEY(applied_by_id) REFERENCES user (id), 
	CONSTRAINT fk_boilerplate_rule_created_by_id_user FOREIGN KEY(created_by_id) REFERENCES user (id), 
	CONSTRAINT fk_boilerplate_rule_project_id_project FOREIGN KEY(project_id) REFERENCES project (id) ON DELETE CASCADE
);

CREATE TABLE boilerplate_change (
	rule_id INTEGER NOT NULL, 
	paragraph_id INTEGER NOT NULL, 
	was_boilerplate BOOLEAN NOT NULL, 
	created_at DATETIME NOT NULL, 
	CONSTRAINT pk_boilerplate_change PRIMARY KEY (rule_id, paragraph_id), 
	CONSTRAINT fk_boilerplate_change_paragraph_id_paragraph FOREIGN KEY(paragraph_id) REFERENCES paragraph (id) ON DELETE CASCADE, 
	CONSTRAINT fk_boilerplate_change_rule_id_boilerplate_rule FOREIGN KEY(rule_id) REFERENCES boilerplate_rule (id) ON DELETE CASCADE
);

CREATE TABLE boilerplate_proposal (
	id INTEGER NOT NULL, 
	paragraph_id INTEGER NOT NULL, 
	proposed_by_id INTEGER NOT NULL, 
	makes_boilerplate BOOLEAN NOT NULL, 
	status VARCHAR(10) NOT NULL, 
	created_at DATETIME NOT NULL, 
	decided_by_id INTEGER, 
	decided_at DATETIME, 
	CONSTRAINT pk_boilerplate_proposal PRIMARY KEY (id), 
	CONSTRAINT ck_boilerplate_proposal_status CHECK (status IN ('pending', 'confirmed', 'declined')), 
	CONSTRAINT fk_boilerplate_proposal_decided_by_id_user FOREIGN KEY(decided_by_id) REFERENCES user (id), 
	CONSTRAINT fk_boilerplate_proposal_paragraph_id_paragraph FOREIGN KEY(paragraph_id) REFERENCES paragraph (id) ON DELETE CASCADE, 
	CONSTRAINT fk_boilerplate_proposal_proposed_by_id_user FOREIGN KEY(proposed_by_id) REFERENCES user (id)
);

CREATE TABLE "annotation" (
	id INTEGER NOT NULL, 
	paragraph_id INTEGER NOT NULL, 
	annotator_id INTEGER NOT NULL, 
	is_gold BOOLEAN NOT NULL, 
	layer VARCHAR(20) NOT NULL, 
	start INTEGER, 
	"end" INTEGER, 
	label VARCHAR(100) NOT NULL, 
	attributes JSON NOT NULL, 
	version INTEGER NOT NULL, 
	created_at DATETIME NOT NULL, 
	updated_at DATETIME NOT NULL, 
	target_id INTEGER, 
	client_id VARCHAR(64), 
	source VARCHAR(100) DEFAULT 'manual' NOT NULL, 
	CONSTRAINT pk_annotation PRIMARY KEY (id), 
	CONSTRAINT uq_annotation_client_id UNIQUE (annotator_id, client_id), 
	CONSTRAINT fk_annotation_target_id_annotation FOREIGN KEY(target_id) REFERENCES annotation (id) ON DELETE CASCADE, 
	CONSTRAINT ck_annotation_offsets CHECK (("start" IS NULL AND "end" IS NULL) OR ("start" >= 0 AND "end" > "start")), 
	CONSTRAINT ck_annotation_span_layers_have_offsets CHECK (layer = 'sentiment' OR ("start" IS NOT NULL)), 
	CONSTRAINT ck_annotation_target_is_sentiment CHECK (layer = 'sentiment' OR target_id IS NULL), 
	CONSTRAINT fk_annotation_paragraph_id_paragraph FOREIGN KEY(paragraph_id) REFERENCES paragraph (id) ON DELETE CASCADE, 
	CONSTRAINT ck_annotation_version CHECK (version >= 1), 
	CONSTRAINT fk_annotation_annotator_id_user FOREIGN KEY(annotator_id) REFERENCES user (id), 
	CONSTRAINT ck_annotation_layer CHECK (layer = 'entity' OR layer = 'claim' OR layer = 'sentiment')
);

CREATE TABLE "annotation_event" (
	id INTEGER NOT NULL, 
	annotation_id INTEGER NOT NULL, 
	paragraph_id INTEGER NOT NULL, 
	user_id INTEGER NOT NULL, 
	action VARCHAR(10) NOT NULL, 
	"before" JSON, 
	"after" JSON, 
	created_at DATETIME NOT NULL, 
	CONSTRAINT pk_annotation_event PRIMARY KEY (id), 
	CONSTRAINT fk_annotation_event_user_id_user FOREIGN KEY(user_id) REFERENCES user (id), 
	CONSTRAINT fk_annotation_event_paragraph_id_paragraph FOREIGN KEY(paragraph_id) REFERENCES paragraph (id) ON DELETE CASCADE, 
	CONSTRAINT ck_annotation_event_action CHECK (action = 'create' OR action = 'update' OR action = 'delete')
);

CREATE INDEX ix_api_token_user_id ON api_token (user_id);

CREATE INDEX ix_article_external_id ON article (external_id);

CREATE INDEX ix_article_project_id ON article (project_id);

CREATE INDEX ix_audit_log_created_at ON audit_log (created_at);

CREATE INDEX ix_annotation_comment_annotation_id ON annotation_comment (annotation_id);

CREATE INDEX ix_login_session_user_id ON login_session (user_id);

CREATE INDEX ix_pattern_file_project_id ON pattern_file (project_id);

CREATE INDEX ix_suggestion_paragraph_user ON suggestion (paragraph_id, user_id);

CREATE INDEX ix_suggestion_decision_user_id ON suggestion_decision (user_id);

CREATE INDEX ix_pipeline_job_project_id ON pipeline_job (project_id);

CREATE INDEX ix_boilerplate_rule_project_id ON boilerplate_rule (project_id);

CREATE INDEX ix_boilerplate_change_paragraph_id ON boilerplate_change (paragraph_id);

CREATE INDEX ix_boilerplate_proposal_paragraph_id ON boilerplate_proposal (paragraph_id);

CREATE UNIQUE INDEX uq_boilerplate_proposal_pending ON boilerplate_proposal (paragraph_id) WHERE status = 'pending';

CREATE INDEX ix_annotation_paragraph_annotator ON annotation (paragraph_id, annotator_id);

CREATE UNIQUE INDEX uq_annotation_paragraph_sentiment ON annotation (paragraph_id, annotator_id, is_gold) WHERE layer = 'sentiment' AND target_id IS NULL;

CREATE UNIQUE INDEX uq_annotation_gold_paragraph_sentiment ON annotation (paragraph_id) WHERE layer = 'sentiment' AND target_id IS NULL AND is_gold;

CREATE UNIQUE INDEX uq_annotation_target_id ON annotation (target_id) WHERE target_id IS NOT NULL;

CREATE INDEX ix_annotation_updated_at ON annotation (updated_at);

CREATE INDEX ix_annotation_event_annotation_id ON annotation_event (annotation_id);
