//! Reading REFI-QDA users into coders: each user becomes a coder with a free id, and
//! coding or notes by nobody known go to one default coder.

use super::*;

impl Context {
    pub(super) fn free_coder_id(&self, base: &str) -> CoderId {
        crate::model::ids::numbered(base)
            .filter_map(|s| CoderId::new(s).ok())
            .find(|id| !self.coders.iter().any(|c| &c.id == id))
            .unwrap_or_else(|| CoderId::new("coder").unwrap_or_else(|_| unreachable_id()))
    }

    pub(super) fn add_coder(&mut self, wanted: &str, name: &str) -> CoderId {
        let base = slugify(wanted).unwrap_or_else(|| "coder".into());
        let id = self.free_coder_id(&base);
        self.coders.push(Coder {
            id: id.clone(),
            name: if name.is_empty() {
                id.to_string()
            } else {
                name.to_string()
            },
        });
        id
    }

    /// REFI users become coders. A thematic export carries the coder id in `User@id`;
    /// other programs' names are made into ids.
    pub(super) fn read_users(&mut self, users: Option<&Element>) {
        for user in users.into_iter().flat_map(|u| u.all("User")) {
            let name = clean_line(user.attr("name").unwrap_or_default());
            let id_attr = user.attr("id").unwrap_or_default();
            let wanted = if self.from_thematic && !id_attr.is_empty() {
                id_attr.to_string()
            } else if !name.is_empty() {
                name.clone()
            } else {
                id_attr.to_string()
            };
            let id = self.add_coder(&wanted, &name);
            match user.attr("guid") {
                Some(guid) => {
                    self.users.insert(guid.trim().to_lowercase(), id);
                }
                None => self.warn(format!(
                    "user {name:?} has no guid; nothing can refer to them"
                )),
            }
        }
    }

    /// The coder for an element's `creatingUser`; failing that, the project's creator or
    /// its only user; failing that, a stand-in coder for unattributed work.
    pub(super) fn coder_for(&mut self, user: Option<&str>) -> CoderId {
        if let Some(id) = user.and_then(|u| self.users.get(&u.trim().to_lowercase())) {
            return id.clone();
        }
        let creator = self.project_creator.clone();
        if let Some(id) = creator.and_then(|u| self.users.get(&u).cloned()) {
            return id;
        }
        if let [only] = self.coders.as_slice() {
            return only.id.clone();
        }
        if let Some(id) = &self.default_coder {
            return id.clone();
        }
        let id = self.add_coder("imported", "Imported (no user recorded)");
        self.warn(format!(
            "some work has no known user; it is attributed to the coder `{id}`"
        ));
        self.default_coder = Some(id.clone());
        id
    }
}
