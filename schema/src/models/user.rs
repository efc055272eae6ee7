//! A user account (admin, coach) and its queries.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};

use crate::domain::{Email, Role, UserId};
use crate::schema::users;

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Identifiable)]
#[diesel(table_name = users, check_for_backend(diesel::pg::Pg))]
pub struct User {
    pub id: UserId,
    pub email: Email,
    pub display_name: String,
    pub roles: Vec<Role>,
    pub active: bool,
    pub password_hash: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// What it takes to create an account.
#[derive(Debug, Clone)]
pub struct NewUser<'a> {
    pub email: &'a Email,
    pub display_name: &'a str,
    pub roles: &'a [Role],
    pub password_hash: Option<&'a str>,
}

#[derive(Insertable)]
#[diesel(table_name = users)]
struct UserRow<'a> {
    email: &'a Email,
    display_name: &'a str,
    roles: Vec<Role>,
    password_hash: Option<&'a str>,
}

impl User {
    pub fn has_role(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }

    /// Creates the account; a unique violation when the email (in any case) is taken.
    pub async fn create(conn: &mut AsyncPgConnection, new: NewUser<'_>) -> QueryResult<Self> {
        let mut roles = new.roles.to_vec();
        roles.sort_unstable_by_key(|role| role.as_str());
        roles.dedup();
        diesel::insert_into(users::table)
            .values(UserRow {
                email: new.email,
                display_name: new.display_name.trim(),
                roles,
                password_hash: new.password_hash,
            })
            .returning(Self::as_returning())
            .get_result(conn)
            .await
    }

    pub async fn find(conn: &mut AsyncPgConnection, id: UserId) -> QueryResult<Option<Self>> {
        users::table
            .find(id)
            .select(Self::as_select())
            .first(conn)
            .await
            .optional()
    }

    pub async fn find_by_email(
        conn: &mut AsyncPgConnection,
        email: &Email,
    ) -> QueryResult<Option<Self>> {
        users::table
            .filter(users::email.eq(email))
            .select(Self::as_select())
            .first(conn)
            .await
            .optional()
    }

    /// Every account holding `role`, by name.
    pub async fn list_with_role(
        conn: &mut AsyncPgConnection,
        role: Role,
    ) -> QueryResult<Vec<Self>> {
        users::table
            .filter(users::roles.contains(vec![role]))
            .order(users::display_name.asc())
            .select(Self::as_select())
            .load(conn)
            .await
    }

    /// Every account, by name.
    pub async fn list(conn: &mut AsyncPgConnection) -> QueryResult<Vec<Self>> {
        users::table
            .order((users::display_name.asc(), users::email.asc()))
            .select(Self::as_select())
            .load(conn)
            .await
    }

    /// Replaces the password hash.
    pub async fn set_password_hash(
        conn: &mut AsyncPgConnection,
        id: UserId,
        password_hash: &str,
        now: DateTime<Utc>,
    ) -> QueryResult<()> {
        diesel::update(users::table.find(id))
            .set((
                users::password_hash.eq(password_hash),
                users::updated_at.eq(now),
            ))
            .execute(conn)
            .await
            .map(|_| ())
    }

    /// Replaces the role set; returns the updated account.
    pub async fn set_roles(
        conn: &mut AsyncPgConnection,
        id: UserId,
        roles: &[Role],
        now: DateTime<Utc>,
    ) -> QueryResult<Option<Self>> {
        let mut roles = roles.to_vec();
        roles.sort_unstable_by_key(|role| role.as_str());
        roles.dedup();
        diesel::update(users::table.find(id))
            .set((users::roles.eq(roles), users::updated_at.eq(now)))
            .returning(Self::as_returning())
            .get_result(conn)
            .await
            .optional()
    }

    /// Activates or deactivates the account (compare-and-swap: `None` when it already was).
    pub async fn set_active(
        conn: &mut AsyncPgConnection,
        id: UserId,
        active: bool,
        now: DateTime<Utc>,
    ) -> QueryResult<Option<Self>> {
        diesel::update(users::table.find(id))
            .filter(users::active.eq(!active))
            .set((users::active.eq(active), users::updated_at.eq(now)))
            .returning(Self::as_returning())
            .get_result(conn)
            .await
            .optional()
    }

    /// How many active accounts hold the admin role, locking them (so that two admins removing
    /// each other at once cannot leave none).
    pub async fn lock_active_admins(conn: &mut AsyncPgConnection) -> QueryResult<Vec<UserId>> {
        users::table
            .filter(users::active.eq(true))
            .filter(users::roles.contains(vec![Role::Admin]))
            .select(users::id)
            .for_update()
            .load(conn)
            .await
    }
}
