import{G as e,X as t,Z as n,c as r,d as i,et as a,h as o,l as s,n as c,s as l,t as u,u as d}from"./status-rOUAfUnb.js";import{b as f,c as p,g as m,i as h,t as g,u as _,v}from"./Page-Cq2q75w7.js";import{a as y,i as b,o as x,u as S}from"./index-B3uw6kat.js";import{a as C,o as w,r as T}from"./labels-DZbLJoso.js";var E=f(v()),D=function(e,t){var n={};for(var r in e)Object.prototype.hasOwnProperty.call(e,r)&&t.indexOf(r)<0&&(n[r]=e[r]);if(e!=null&&typeof Object.getOwnPropertySymbols==`function`)for(var i=0,r=Object.getOwnPropertySymbols(e);i<r.length;i++)t.indexOf(r[i])<0&&Object.prototype.propertyIsEnumerable.call(e,r[i])&&(n[r[i]]=e[r[i]]);return n},O=(0,E.memo)((0,E.forwardRef)((e,i)=>{let{id:o,className:c,iconId:l,title:u,titleAs:d=`h3`,bodyAs:f=`p`,buttonProps:p,colorVariant:m,classes:h={},children:g,style:_}=e,v=D(e,[`id`,`className`,`iconId`,`title`,`titleAs`,`bodyAs`,`buttonProps`,`colorVariant`,`classes`,`children`,`style`]);a();let y=s({defaultIdPrefix:`fr-callout`,explicitlyProvidedId:o});return E.createElement(`div`,Object.assign({id:y,className:n(t.cx(`fr-callout`,l,m!==void 0&&`fr-callout--${m}`),h.root,c),ref:i,style:_},v),u!==void 0&&E.createElement(d,{className:n(t.cx(`fr-callout__title`),h.title)},u),E.createElement(f,{className:n(t.cx(`fr-callout__text`),h.text)},g),p!==void 0&&E.createElement(r,Object.assign({},p,{className:n(h.button,p.className)})))}));O.displayName=d({CallOut:O});var k=p();function A({certificate:t}){let n=e(),i=async()=>{try{await navigator.clipboard.writeText(t.verifyUrl),n(`Lien copié.`)}catch{n(`La copie n'a pas fonctionné : sélectionnez le lien et copiez-le.`,{assertive:!0})}};return(0,k.jsxs)(`section`,{"aria-labelledby":`resultat-certificat`,className:`fr-mb-6w`,children:[(0,k.jsx)(`h2`,{id:`resultat-certificat`,children:`Votre certificat`}),t.revoked&&(0,k.jsx)(l,{severity:`error`,as:`h3`,className:`fr-mb-3w`,title:`Ce certificat est révoqué`,description:`Il n'est plus valable. Pour en savoir plus, écrivez à contact@beta.gouv.fr.`}),(0,k.jsxs)(`p`,{children:[t.title,` — `,t.sessionLabel,`, délivré le `,b(t.issuedOn,!1),`.`,(0,k.jsx)(`br`,{}),`Numéro : `,(0,k.jsx)(`strong`,{children:t.number})]}),t.downloadUrl!=null&&(0,k.jsx)(`p`,{children:(0,k.jsx)(`a`,{className:`fr-link fr-icon-download-line fr-link--icon-left`,href:t.downloadUrl,children:`Télécharger le certificat (PDF)`})}),(0,k.jsxs)(`p`,{className:`fr-mb-1w`,children:[`Lien public de vérification, à donner à qui veut vérifier votre certificat :`,` `,(0,k.jsx)(`a`,{href:t.verifyUrl,className:`fr-text--break`,style:{overflowWrap:`anywhere`},children:t.verifyUrl})]}),(0,k.jsx)(r,{priority:`secondary`,size:`small`,iconId:`fr-icon-clipboard-line`,onClick:()=>void i(),children:`Copier le lien de vérification`})]})}var j=function(e,t){var n={};for(var r in e)Object.prototype.hasOwnProperty.call(e,r)&&t.indexOf(r)<0&&(n[r]=e[r]);if(e!=null&&typeof Object.getOwnPropertySymbols==`function`)for(var i=0,r=Object.getOwnPropertySymbols(e);i<r.length;i++)t.indexOf(r[i])<0&&Object.prototype.propertyIsEnumerable.call(e,r[i])&&(n[r[i]]=e[r[i]]);return n},M=(0,E.memo)((0,E.forwardRef)((e,r)=>{let{id:i,className:o,as:c=`p`,style:l,severity:u,small:d=!1,noIcon:f=!1,children:p}=e,m=j(e,[`id`,`className`,`as`,`style`,`severity`,`small`,`noIcon`,`children`]);a();let h=s({defaultIdPrefix:`fr-badge`,explicitlyProvidedId:i});return E.createElement(c,Object.assign({className:n(t.cx(`fr-badge`,u!==void 0&&`fr-badge--${u}`,{"fr-badge--sm":d},{"fr-badge--no-icon":f||u===void 0}),o),id:h,style:l,ref:r},m),E.createElement(E.Fragment,null,p))}));M.displayName=d({Badge:M});function N({competences:e}){return(0,k.jsx)(`ol`,{children:e.map(e=>(0,k.jsxs)(`li`,{className:`fr-mb-3w`,children:[(0,k.jsx)(`h3`,{className:`fr-h6 fr-mb-1w`,children:e.name}),e.acquired===!0&&(0,k.jsx)(M,{severity:`success`,small:!0,className:`fr-mb-1w`,children:`Acquise`}),e.acquired===!1&&(0,k.jsx)(M,{severity:`warning`,small:!0,className:`fr-mb-1w`,children:`Non acquise`}),e.acquired==null&&(0,k.jsx)(M,{small:!0,className:`fr-mb-1w`,children:`Non évaluée`}),e.comment.trim()!==``&&(0,k.jsx)(`p`,{className:`fr-mb-0`,children:e.comment})]},e.name))})}function P(e){return e.state===`SENT`&&e.sentAt!=null?`envoyé le ${x(e.sentAt)}`:e.state===`DEAD`?`${C.DEAD} : l'équipe animation en est informée`:C[e.state]}function F({letterConsent:e,lettersAt:t,letters:n}){return(0,k.jsxs)(`section`,{"aria-labelledby":`resultat-courrier`,className:`fr-mb-6w`,children:[(0,k.jsx)(`h2`,{id:`resultat-courrier`,children:`Courrier à votre administration`}),e?n.length===0?(0,k.jsxs)(`p`,{children:[`Le courrier qui informe votre administration de votre certification partira le `,x(t),`.`]}):(0,k.jsx)(`ul`,{children:n.map(e=>(0,k.jsxs)(`li`,{children:[w[e.recipient],` (`,e.recipientName==null?``:`${e.recipientName}, `,e.recipientEmail,`) : `,P(e.delivery)]},e.id))}):(0,k.jsx)(`p`,{children:`Vous n'avez pas accepté l'envoi d'un courrier à votre administration : aucun courrier ne sera envoyé.`})]})}var I=i(`
  query MyResult($applicationId: ID!) {
    myResults {
      applicationId
      decision
      overallComment
      publishedAt
      competences {
        name
        acquired
        comment
      }
    }
    application(id: $applicationId) {
      id
      state
      letterConsent
      session {
        label
        resultsAt
        lettersAt
      }
      certificate {
        number
        title
        sessionLabel
        issuedOn
        revoked
        downloadUrl
        verifyUrl
      }
      administrationLetters {
        id
        recipient
        recipientName
        recipientEmail
        delivery {
          state
          sentAt
        }
      }
    }
  }
`),L=`Mon résultat`;function R(){let{applicationId:e=``}=m(),{viewer:t}=S(),n=t?.candidate!=null,[{data:i,fetching:a,error:s}]=o({query:I,variables:{applicationId:e},pause:!n});if(t!==null&&!n)return(0,k.jsxs)(g,{title:L,children:[(0,k.jsx)(`p`,{children:`Connectez-vous pour lire votre résultat.`}),(0,k.jsx)(r,{linkProps:{to:h.signIn()},children:`Se connecter`})]});if(i===void 0)return(0,k.jsxs)(g,{title:L,children:[(t===null||a)&&(0,k.jsx)(c,{label:`Chargement de votre résultat…`}),s!==void 0&&(0,k.jsx)(u,{error:s,title:`Votre résultat n'a pas pu être chargé`,announce:!1}),(0,k.jsx)(`p`,{children:(0,k.jsx)(_,{to:h.space(),children:`Revenir à mon espace`})})]});let{application:l}=i,d=i.myResults.find(e=>e.applicationId===l.id);if(d===void 0||d.decision==null)return(0,k.jsxs)(g,{title:L,children:[(0,k.jsxs)(`p`,{children:[`Votre résultat sera publié après la délibération du jury, à partir du`,` `,x(l.session.resultsAt),`. Vous recevrez un email.`]}),(0,k.jsx)(`p`,{children:(0,k.jsx)(_,{to:h.space(),children:`Revenir à mon espace`})})]});let f=d.decision===`LAUREATE`;return(0,k.jsxs)(g,{title:L,heading:`Mon résultat — ${l.session.label}`,children:[(0,k.jsxs)(O,{title:`Décision du jury : ${T[d.decision]}`,titleAs:`h2`,className:`fr-mb-4w`,children:[d.publishedAt!=null&&(0,k.jsxs)(k.Fragment,{children:[`Publiée le `,y(d.publishedAt),`. `]}),f?`Félicitations : vous êtes certifié·e.`:d.decision===`NOT_CERTIFIED`?`Vous n'êtes pas certifié·e à cette session.`:`L'équipe animation peut reporter votre candidature, avec votre dossier, à la session suivante.`]}),d.overallComment.trim()!==``&&(0,k.jsxs)(`section`,{"aria-labelledby":`resultat-avis`,className:`fr-mb-4w`,children:[(0,k.jsx)(`h2`,{id:`resultat-avis`,children:`L'avis du jury`}),(0,k.jsx)(`p`,{style:{whiteSpace:`pre-line`},children:d.overallComment})]}),d.competences.length>0&&(0,k.jsxs)(`section`,{"aria-labelledby":`resultat-competences`,className:`fr-mb-6w`,children:[(0,k.jsx)(`h2`,{id:`resultat-competences`,children:`Compétence par compétence`}),(0,k.jsx)(N,{competences:d.competences})]}),l.certificate!=null&&(0,k.jsx)(A,{certificate:l.certificate}),f&&(0,k.jsx)(F,{letterConsent:l.letterConsent,lettersAt:l.session.lettersAt,letters:l.administrationLetters}),(0,k.jsx)(`p`,{children:(0,k.jsx)(_,{to:h.space(),children:`Revenir à mon espace`})})]})}export{R as default};